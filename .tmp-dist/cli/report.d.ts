import { Command } from 'commander';
export declare function registerReport(program: Command): void;
