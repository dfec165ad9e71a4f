/**
 * Analysis runs: SQL → sufficient statistics → stats. Each analysis sends one aggregating DuckDB
 * query over a {@link dev.loupe.experiments.analysis.DataSource} (a CSV/Parquet file or a read-only
 * lake query) and fits from the aggregates, so rows never travel to Java one by one. Input problems
 * (missing or non-numeric columns, NaN, bad indicators) become {@link IllegalArgumentException}s
 * naming the option, the column and the value.
 */
package dev.loupe.experiments.analysis;
