/** A public user as the API shows it: never the password hash; the phone masked (first 3 + last 4, DOMAIN.md §6). */
export function presentOpenUser(row: { id: string; username: string; display_name: string; email: string | null; phone: string | null; created_at: string }) {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    phone: row.phone ? `${row.phone.slice(0, 3)}****${row.phone.slice(-4)}` : null,
    createdAt: row.created_at,
  };
}

export type OpenUser = ReturnType<typeof presentOpenUser>;
