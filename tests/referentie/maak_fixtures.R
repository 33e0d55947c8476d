## maak_fixtures.R -- schrijft de synthetische fixture-CSV's voor de referentietests.
## Deterministisch: vaste RNG-soort en seed. Draai vanuit deze map:
##   Rscript maak_fixtures.R && Rscript maak_referentie.R
## Conventie: komma-gescheiden, '.' als decimaalteken, kopregel, NA = leeg veld.

suppressWarnings(RNGkind(kind = "Mersenne-Twister", normal.kind = "Inversion",
                         sample.kind = "Rejection"))

schrijf <- function(df, bestand) {
  write.table(df, bestand, sep = ",", dec = ".", quote = FALSE,
              row.names = FALSE, col.names = TRUE, na = "", eol = "\n")
}

## lognormale gewichten (sdlog 0.5), geschaald naar gemiddelde 1, afgerond op 6 decimalen
## (de afgeronde waarden in de CSV zijn de waarheid; het gemiddelde is dan ~1).
gewichten <- function(n, sdlog = 0.5) {
  w <- rlnorm(n, meanlog = 0, sdlog = sdlog)
  round(w / mean(w), 6)
}

## rapportcijfer 1..10 (gehele getallen)
cijfer <- function(n, gem, sd = 1.6) {
  pmin(10L, pmax(1L, as.integer(round(rnorm(n, gem, sd)))))
}

maak_na <- function(v, fractie) {
  v[sample.int(length(v), round(fractie * length(v)))] <- NA
  v
}

## ---------------------------------------------------------------- a. survey_srs.csv
set.seed(20240501)
groottes <- c(A = 150, B = 120, C = 80, D = 35, E = 15)
n <- sum(groottes)
gebied <- sample(rep(names(groottes), groottes))
p_y <- c(A = 0.30, B = 0.45, C = 0.55, D = 0.20, E = 0.60)[gebied]
gem_x <- c(A = 7.2, B = 6.8, C = 7.6, D = 6.1, E = 7.9)[gebied]
srs <- data.frame(
  respondent_id = seq_len(n),
  gebied = gebied,
  y = maak_na(rbinom(n, 1, p_y), 0.08),
  x = maak_na(cijfer(n, gem_x), 0.05),
  w = gewichten(n)
)
schrijf(srs, "survey_srs.csv")

## ---------------------------------------------------------------- b. survey_strat.csv
set.seed(20240502)
n_psu <- c(10L, 8L, 12L)                       # PSU's per stratum (ids uniek over strata)
n_strat <- c(200L, 160L, 240L)                 # respondenten per stratum (totaal 600)
rijen <- list()
psu_start <- 0L
for (h in 1:3) {
  psu_ids <- psu_start + seq_len(n_psu[h])
  psu_start <- psu_start + n_psu[h]
  ## ongelijke PSU-groottes, elk minstens 8 respondenten
  repeat {
    psu <- sample(psu_ids, n_strat[h], replace = TRUE, prob = runif(n_psu[h], 0.5, 1.5))
    if (min(tabulate(match(psu, psu_ids), n_psu[h])) >= 8) break
  }
  psu <- sort(psu)
  ## domeinen kruisen de strata; E komt niet voor in stratum 1
  pg <- list(c(A = .40, B = .30, C = .20, D = .10, E = .00),
             c(A = .25, B = .25, C = .20, D = .15, E = .15),
             c(A = .30, B = .20, C = .25, D = .15, E = .10))[[h]]
  gebied <- sample(names(pg), n_strat[h], replace = TRUE, prob = pg)
  psu_effect <- rnorm(n_psu[h], 0, 0.4)[match(psu, psu_ids)]   # clustering
  basis <- c(A = -0.8, B = -0.2, C = 0.2, D = -1.2, E = 0.4)[gebied] + c(0, 0.3, -0.3)[h]
  y <- rbinom(n_strat[h], 1, plogis(basis + psu_effect))
  x <- cijfer(n_strat[h], 7 + 0.5 * psu_effect + c(A = .2, B = -.3, C = .5, D = -.8, E = .6)[gebied])
  rijen[[h]] <- data.frame(stratum = h, psu = psu, gebied = gebied, y = y, x = x)
}
strat <- do.call(rbind, rijen)
n <- nrow(strat)
strat$y <- maak_na(strat$y, 0.08)
strat$x <- maak_na(strat$x, 0.05)
strat$w <- round(gewichten(n) * c(0.8, 1.0, 1.2)[strat$stratum], 6)
strat$w <- round(strat$w / mean(strat$w), 6)
strat <- data.frame(respondent_id = seq_len(n), strat[, c("gebied", "stratum", "psu", "y", "x", "w")])
schrijf(strat, "survey_strat.csv")

## ---------------------------------------------------------------- c. survey_did.csv
set.seed(20240503)
n <- 800L
wijk <- rbinom(n, 1, 0.45)
post <- rbinom(n, 1, 0.5)
p <- 0.30 + 0.05 * wijk + 0.04 * post + 0.12 * wijk * post   # ingebouwde interactie
did <- data.frame(respondent_id = seq_len(n), wijk = wijk, post = post,
                  y = rbinom(n, 1, p), w = gewichten(n))
schrijf(did, "survey_did.csv")

## ---------------------------------------------------------------- d. poisson_counts.csv
pois <- data.frame(
  teller = c(0L, 1L, 2L, 3L, 5L, 8L, 12L, 20L, 57L, 104L, 240L, 0L),
  noemer = c(1500L, 2300L, 4100L, 3050L, 8000L, 12500L, 9800L, 15000L, 22750L, 31000L, 40000L, 27400L)
)
schrijf(pois, "poisson_counts.csv")

## ---------------------------------------------------------------- randgevallen
## (de referentiewaarden worden in maak_referentie.R berekend uit dit bestand)
set.seed(20240504)
y_gelijk <- integer(20); y_gelijk[sample.int(20, 7)] <- 1L
rand <- rbind(
  data.frame(geval = "gelijke_gewichten", y = y_gelijk, w = 1),
  data.frame(geval = "alles_ja", y = 1L, w = gewichten(10)),
  data.frame(geval = "alles_nee", y = 0L, w = gewichten(10)),
  data.frame(geval = "een_respondent", y = 1L, w = 1.7)
)
rand <- data.frame(respondent_id = seq_len(nrow(rand)), rand)
schrijf(rand, "survey_randgevallen.csv")

cat("fixtures geschreven\n")
