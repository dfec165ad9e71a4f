/**
 * Experiments on a social graph, as pure code: no I/O, every random choice seeded.
 *
 * <ul>
 *   <li>{@link dev.loupe.graph.GraphBuilder} → {@link dev.loupe.graph.Graph}: a simple undirected
 *       graph in compressed sparse rows; {@link dev.loupe.graph.GraphSummary} reports what was
 *       dropped, components and degrees.
 *   <li>{@link dev.loupe.graph.CommunityDetection}: Leiden or Louvain by modularity (CWTS
 *       library), giving a canonically numbered {@link dev.loupe.graph.Partition};
 *       {@link dev.loupe.graph.Modularity} recomputes the quality independently.
 *   <li>{@link dev.loupe.graph.Design}: individual, cluster, attribute, ego, two-stage and
 *       interference-test designs, all one {@link dev.loupe.graph.Randomization} (a two-stage
 *       complete randomization) so that exposure probabilities are exact;
 *       {@link dev.loupe.graph.DesignReport} says what a design will deliver;
 *       {@link dev.loupe.graph.Switchback} designs regions × time slots.
 *   <li>{@link dev.loupe.graph.NetworkAnalysis}: direct, spillover and total effects, exposure
 *       estimates and the interference test, from {@link dev.loupe.graph.ExperimentData};
 *       regressions and cluster-robust covariances come from {@code dev.loupe.stats.regression}.
 *   <li>{@link dev.loupe.graph.BiasSimulation}: what each design would estimate, before launch.
 * </ul>
 *
 * <p>Why one randomization for every design: the estimators that handle interference (Horvitz–
 * Thompson and Hájek over exposure conditions, randomization p-values) need the exact law of the
 * assignment. Writing every design as "clusters get conditions by complete randomization, users
 * within a cluster are completely randomized at the condition's share" makes that law explicit, so
 * the analysis can rebuild it from the assignment table alone and redraw it at will.
 */
package dev.loupe.graph;
