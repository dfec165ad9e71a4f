# Golden numbers for dev.loupe.stats.power.Power (proportions), from R's power.prop.test(strict = TRUE).
# Regenerate: Rscript power.R > power.csv   (run in this directory)
cases <- list(
  list(id = "s8", p1 = 0.03, p2 = 0.035, n = 10000, alpha = 0.05, target = 0.8),
  list(id = "b", p1 = 0.10, p2 = 0.08, n = 2000, alpha = 0.01, target = 0.9),
  list(id = "bonf4", p1 = 0.03, p2 = 0.035, n = 10000, alpha = 0.05 / 3, target = 0.8)
)
cat("key,value\n")
for (c in cases) {
  pw <- power.prop.test(n = c$n, p1 = c$p1, p2 = c$p2, sig.level = c$alpha, strict = TRUE)$power
  n <- power.prop.test(power = c$target, p1 = c$p1, p2 = c$p2, sig.level = c$alpha, strict = TRUE, tol = 1e-14)$n
  cat(sprintf("%s.power,%.17g\n%s.n,%.17g\n", c$id, pw, c$id, n))
}
