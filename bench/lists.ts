export async function run(_argv: string[]): Promise<unknown> { throw new Error("todo"); }
