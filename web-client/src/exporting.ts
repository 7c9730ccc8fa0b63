// Downloads an export from GET /api/sessions/{code}/export/{format} with the facilitator's key.

export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1].trim() : null;
}

export async function fetchExport(code: string, token: string, format: string): Promise<{ blob: Blob; name: string }> {
  let res: Response;
  try {
    res = await fetch(`/api/sessions/${encodeURIComponent(code)}/export/${encodeURIComponent(format)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch {
    throw new Error('Could not reach the server to download the export. Check the connection and try again.');
  }
  if (!res.ok) {
    let detail = '';
    try {
      const body = await res.json();
      detail = typeof body.message === 'string' ? body.message : '';
    } catch {
      /* not JSON */
    }
    const missing = `This server cannot produce the ${format} export yet: it may need updating.`;
    if (res.status === 404) throw new Error(missing);
    if (res.status === 401 || res.status === 403) {
      // A server without exports reads the path as a session code and refuses the key; tell the
      // two apart by asking for the session itself with the same key.
      if (await keyIsAccepted(code, token)) throw new Error(missing);
      throw new Error('The server did not accept this facilitator link for exports. Open the console from the link you got when creating the workshop.');
    }
    throw new Error(`The ${format} export failed${detail ? `: ${detail}` : ` (the server answered ${res.status})`}.`);
  }
  const blob = await res.blob();
  return { blob, name: filenameFromDisposition(res.headers.get('Content-Disposition')) ?? `quorum-${code}-${format}` };
}

async function keyIsAccepted(code: string, token: string): Promise<boolean> {
  try {
    const res = await fetch(`/api/sessions/${encodeURIComponent(code)}`, { headers: { Authorization: `Bearer ${token}` } });
    return res.ok;
  } catch {
    return false;
  }
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
