export const CONSOLE_ROOT: string;
export const CONSOLE_DIST: string;
export function consoleSourceHash(): string;
export function consoleIsCurrent(): boolean;
export function ensureConsoleBuilt(options?: { quiet?: boolean }): string;
