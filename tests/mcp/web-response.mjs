// node:http <-> web-standard Request/Response, for the TypeScript SDK v2's HTTP handler; shared by the
// SDK v2 test servers of this folder.

// The Request's signal aborts when the client goes away before the answer is complete (that is how
// 2026-07-28 cancels: it closes the request's stream). `body`: the raw body already read (ignored for
// GET and HEAD); `host`: the Host to use when the request names none.
export function toWebRequest(req, res, body, host) {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  return new Request(`http://${req.headers.host ?? host}${req.url}`, {
    method: req.method,
    headers,
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    signal: controller.signal,
  });
}

// Writes a Response to a node:http response, streaming its body.
export async function writeWebResponse(response, res) {
  const headers = {};
  response.headers.forEach((v, k) => {
    headers[k] = v;
  });
  res.writeHead(response.status, headers);
  if (response.body === null) return res.end();
  const reader = response.body.getReader();
  res.on('close', () => reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    // the client went away mid-stream
  }
  res.end();
}
