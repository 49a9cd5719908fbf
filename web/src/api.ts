/** The page's API client: JSON to /v1/cases, problem+json errors turned into their `detail`. Only hashes go out. */
export interface CreatedCase { caseNumber: string; pin: string; entries: { photos: number; videos: number; identifiers: number }; identifiers: string[] }
export interface CasePlace { kind: 'photo' | 'video' | 'identifier'; identifier: string | null; item?: string | null; signals?: string[]; platform: string; chatType: string; chats: number; posts: number; firstSeen: string | null; lastSeen: string | null }
export interface CaseStatus {
  caseNumber: string; createdAt: string; registered: { photos: number; videos: number; identifiers: number }; itemsFound: number;
  places: CasePlace[]; actions: { kind: string; status: string; at: string }[];
}
export interface PageConfig { helplineUrl: string | null; policeUrl: string | null }

export class ApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined, credentials: 'omit' });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, typeof data.detail === 'string' ? data.detail : `error ${res.status}`);
  return data as T;
}

export const api = {
  pageConfig: () => call<PageConfig>('GET', '/v1/cases/page-config'),
  create: (body: { language: string; photos: { pdq: string; quality: number; regionDct?: { value: string; quality: number }[]; regionMag?: { value: string; quality: number }[] }[]; videos: { vpdq: string; md5: string }[]; identifiers: string[] }) => call<CreatedCase>('POST', '/v1/cases', body),
  status: (caseNumber: string, pin: string) => call<CaseStatus>('POST', '/v1/cases/status', { caseNumber, pin }),
  withdraw: (caseNumber: string, pin: string) => call<{ withdrawn: true; removed: number }>('POST', '/v1/cases/withdraw', { caseNumber, pin, confirm: true }),
};
