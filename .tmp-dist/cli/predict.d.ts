import { Command } from 'commander';
export declare function registerPredict(program: Command): void;
