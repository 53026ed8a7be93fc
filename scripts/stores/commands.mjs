// Running the tools the stores need: finding them on PATH, and a build step logged to a file.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { tail } from "./files.mjs";
import { StoreError } from "./log.mjs";

export function which(cmd) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, cmd);
    try {
      fs.accessSync(f, fs.constants.X_OK);
      if (fs.statSync(f).isFile()) return f;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

/** Run a command to completion with output appended to logFile; throw StoreError with a log tail on failure. */
export function runLogged(cmd, args, { cwd, env, logFile, what }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, "a");
  fs.writeSync(fd, `\n$ ${cmd} ${args.join(" ")}   # ${new Date().toISOString()}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", fd, fd] });
    child.on("error", (e) => {
      fs.closeSync(fd);
      reject(new StoreError(`${what} failed to run ${cmd}: ${e.message}`));
    });
    child.on("exit", (code, signal) => {
      fs.closeSync(fd);
      if (code === 0) resolve();
      else
        reject(
          new StoreError(
            `${what} failed (${cmd} exited with ${code ?? signal}). Log: ${logFile}\n` + `--- last lines ---\n${tail(logFile, 25)}`,
          ),
        );
    });
  });
}
