// The command line every stand-in shares: `--port N` (0 = any free port), `--help`, and named
// options read with opt('--name', default). Bad input ends the process with status 64 and a usage line.
export function commandLine(tag, usageLine, about, defaultPort) {
  const argv = process.argv.slice(2);
  const usage = (msg) => {
    process.stderr.write(`${tag}: ${msg}\nusage: ${usageLine}\n`);
    process.exit(64);
  };
  const opt = (name, dflt) => {
    const i = argv.indexOf(name);
    if (i < 0) return dflt;
    if (i + 1 >= argv.length) usage(`${name} needs a value`);
    return argv[i + 1];
  };
  if (argv.includes('--help') || argv.includes('-h')) usage(about);
  const port = Number(opt('--port', String(defaultPort)));
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage('bad --port');
  return { opt, usage, port };
}
