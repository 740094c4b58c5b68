import { createHash } from 'node:crypto';

/**
 * The use agreement (开放利用协议) an applicant accepts before a RESTRICTED dataset is served to
 * them. Versioned: an acceptance records the version, the SHA-256 of the text it showed and the
 * time; a new version applies to acceptances made after it ships (earlier ones stay valid until
 * their application expires).
 */
export const USE_AGREEMENT_VERSION = '2026.1';

export const USE_AGREEMENT_TEXT = `公共数据开放利用协议（${USE_AGREEMENT_VERSION}）

一、申请人仅在申请所述目的和应用场景内使用受限开放数据，不得超出范围使用，不得转让、出售或向第三方提供。
二、申请人落实申请中承诺的安全保护措施，防止数据泄露、篡改和丢失；发生安全事件时立即停止使用并报告数据提供部门。
三、申请人不得试图识别特定自然人，不得将数据与其他数据关联以重新识别个人身份（《个人信息保护法》第七十三条）。
四、数据提供部门可以根据使用情况暂停或撤销授权；授权到期或被撤销后，申请人停止使用并删除已获取的数据。
五、申请人使用数据形成的成果应注明数据来源；数据开放平台记录调用和下载情况。

Public data use agreement (${USE_AGREEMENT_VERSION}): use the data only for the stated purpose and scenario; keep the
security measures you declared; never try to re-identify a person; stop using and delete the data when the
grant expires or is revoked; name the source of the data in what you publish. Calls and downloads are recorded.`;

export const USE_AGREEMENT_SHA256 = createHash('sha256').update(USE_AGREEMENT_TEXT).digest('hex');

export const useAgreement = () => ({ version: USE_AGREEMENT_VERSION, text: USE_AGREEMENT_TEXT, sha256: USE_AGREEMENT_SHA256 });
