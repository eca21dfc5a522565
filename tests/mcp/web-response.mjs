// Writes a web-standard Response (what the TypeScript SDK v2's HTTP handler answers) to a node:http
// response, streaming its body; shared by the SDK v2 test servers of this folder.
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
