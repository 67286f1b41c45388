import { Command } from 'commander';
export declare function registerAudit(program: Command): void;
