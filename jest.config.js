// ESM TypeScript through SWC: no type-checking here (`tsc --noEmit` runs first in `npm test`).
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  testMatch: ["<rootDir>/{lib,events,gateway,subgraphs,graph,prisma,hub,test,web/src}/**/*.test.ts"],
  testTimeout: 60000,
  maxWorkers: 2,
};
