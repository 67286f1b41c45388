import { Command } from 'commander';

export function registerMethods(program: Command): void {
  program
    .command('methods')
    .description('List the training methods and their parameters with defaults.')
    .option('--format <format>', 'table or json', 'table')
    .action(async (flags: { format: string }) => {
      const { listMethods } = await import('../methods/registry.js');
      const methods = listMethods().map((method) => ({
        name: method.name,
        summary: method.summary,
        ...(method.strength ? { strength: method.strength } : {}),
        params: Object.entries(method.paramDocs).map(([name, doc]) => ({ name, default: (method.params.parse({}) as Record<string, unknown>)[name], doc })),
      }));
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify(methods, null, 2)}\n`);
        return;
      }
      const lines: string[] = [];
      for (const method of methods) {
        lines.push(`${method.name}: ${method.summary}${method.strength ? ` (strength: ${method.strength})` : ''}`);
        for (const param of method.params) lines.push(`    ${param.name} = ${JSON.stringify(param.default)}: ${param.doc}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
