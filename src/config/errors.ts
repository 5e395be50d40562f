// A settings problem, with every problem found at once. Kept free of imports so any module that declares
// settings can throw it without importing the settings registry (no import cycles).
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} settings problems:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}
