import { previewFile, type Preview, type PreviewInput } from './preview.js';

/** Runs a preview inside a pool worker, off the HTTP loop; the answer is plain data. */
export async function run(input: PreviewInput): Promise<Preview> {
  return previewFile(input);
}
