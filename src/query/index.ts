/**
 * Queries over a flow store: search, top-N, series, reports, comparisons,
 * streamed export, and the filter language, for any engine's QueryRunner.
 */

/** The engine and its query and result shapes. */
export {
  createQueryEngine,
  type QueryEngine,
  type QueryEngineDeps,
  type SearchTuning,
  type FlowsQuery,
  type FlowsResult,
  type TopQuery,
  type TopRow,
  type SeriesQuery,
  type SeriesResult,
} from './engine.ts';
/** Reports and comparisons. */
export type {
  ReportQuery,
  ReportRow,
  ReportResult,
  CompareQuery,
  CompareRow,
  CompareResult,
} from './report.ts';
/** Streaming export (JSON Lines / CSV). */
export { exportFlows } from './export.ts';
/** Query errors and shared shapes. */
export { QueryError, type QueryBase } from './sql.ts';
/** The filter language: parse to an AST, render for a dialect. */
export { parseFilter } from './filter/parser.ts';
/** The fields a filter name stands for, and the protocol names `proto` accepts (for completion). */
export { resolveFilterName, PROTOCOL_NUMBERS } from './filter/fields.ts';
/** Renders a parsed filter as a SQL condition. */
export { renderFilter } from './filter/render.ts';
/** Filter AST and errors (with the column of the bad token). */
export { FilterError } from './filter/lexer.ts';
/** The AST types. */
export type { FilterNode, FilterValue, CompareOp } from './filter/ast.ts';
/** Table choice. */
export { planTable, type TablePlan, type TableNeeds } from './planner.ts';
/** Times and steps. */
export { parseTime, parseStep, autoStep, TimeError, type TimeRange } from './time.ts';
