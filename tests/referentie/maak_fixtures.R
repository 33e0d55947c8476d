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

## ---------------------------------------------------------------- e. survey_genest.csv
## PSU-codes die in elk stratum opnieuw beginnen (1, 2, 3 in stratum 1 en in stratum 2): het
## voorbeeld uit issue 12. Zonder nest = TRUE weigert svydesign dit ontwerp.
genest <- data.frame(
  respondent_id = 1:12,
  y = c(1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1),
  w = c(1, 2, 1, 3, 1, 1, 2, 1, 1, 2, 2, 1),
  stratum = rep(1:2, each = 6),
  psu = c(1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3)
)
schrijf(genest, "survey_genest.csv")

## ---------------------------------------------------------------- f. survey_eenzaam.csv
## 4 strata, waarvan stratum 4 maar één PSU heeft (een 'lonely PSU'); gebieden A-C kruisen de
## strata. PSU-codes uniek in het bestand.
set.seed(20240505)
n_psu <- c(5L, 4L, 6L, 1L)
rijen <- list()
psu_start <- 0L
for (h in 1:4) {
  psu_ids <- psu_start + seq_len(n_psu[h])
  psu_start <- psu_start + n_psu[h]
  psu <- rep(psu_ids, times = sample(6:14, n_psu[h], replace = TRUE))
  gebied <- sample(c("A", "B", "C"), length(psu), replace = TRUE, prob = c(0.5, 0.3, 0.2))
  psu_effect <- rnorm(n_psu[h], 0, 0.5)[match(psu, psu_ids)]
  y <- rbinom(length(psu), 1, plogis(-0.4 + psu_effect + c(A = 0, B = 0.5, C = -0.5)[gebied]))
  x <- cijfer(length(psu), 6.8 + psu_effect + c(A = 0, B = 0.4, C = -0.4)[gebied])
  rijen[[h]] <- data.frame(stratum = h, psu = psu, gebied = gebied, y = y, x = x)
}
eenzaam <- do.call(rbind, rijen)
eenzaam$y <- maak_na(eenzaam$y, 0.05)
eenzaam$w <- gewichten(nrow(eenzaam))
eenzaam <- data.frame(respondent_id = seq_len(nrow(eenzaam)), eenzaam)
schrijf(eenzaam, "survey_eenzaam.csv")

## ---------------------------------------------------------------- g. survey_did_ontwerp.csv
## Twee metingen (na = 0, 1), elk een eigen steekproef. Gemeente 1 bestaat uit de wijk (wijk = 1)
## en de rest (wijk = 0); gemeente 2 ligt erbuiten. Per meting 3 strata die wijk en rest
## doorsnijden; huishoudens (hh, 1-4 personen) zijn de PSU's, genummerd per stratum en liggen elk
## in één gebied; blokken (blok, 2-6 huishoudens) zijn PSU's die de grens van wijk en rest kruisen,
## ook per stratum genummerd. Clustering via een huishoudeffect, 5% item-missing.
set.seed(20240506)
rijen <- list()
for (na in 0:1) {
  for (h in 1:3) {
    n_hh <- c(70L, 60L, 80L)[h]
    ## blokken van opeenvolgende huishoudens; het gebied wisselt binnen een blok
    blok <- rep(seq_len(ceiling(n_hh / 4)), each = 4, length.out = n_hh)
    gebied <- sample(c("wijk", "rest", "buiten"), n_hh, replace = TRUE,
                     prob = list(c(.45, .35, .20), c(.25, .50, .25), c(.15, .45, .40))[[h]])
    grootte <- sample(1:4, n_hh, replace = TRUE, prob = c(.35, .35, .2, .1))
    hh_effect <- rnorm(n_hh, 0, 0.6)
    hh <- rep(seq_len(n_hh), grootte)
    g <- gebied[hh]
    basis <- c(wijk = -0.3, rest = -0.6, buiten = -0.8)[g] + 0.25 * na + 0.4 * na * (g == "wijk") + 0.2 * (h - 2)
    rijen[[length(rijen) + 1]] <- data.frame(
      na = na, stratum = h, hh = hh, blok = blok[hh],
      gemeente = ifelse(g == "buiten", 2L, 1L), wijk = as.integer(g == "wijk"),
      y = rbinom(length(hh), 1, plogis(basis + hh_effect[hh])))
  }
}
did_o <- do.call(rbind, rijen)
did_o$y <- maak_na(did_o$y, 0.05)
did_o$w <- gewichten(nrow(did_o))
did_o <- data.frame(respondent_id = seq_len(nrow(did_o)), did_o)
schrijf(did_o, "survey_did_ontwerp.csv")

## ---------------------------------------------------------------- h. poisson_toets.csv
## Twee tellingen met hun noemers (blootstelling): gelijke en ongelijke rates, nullen, een
## gelijkspel op de verwachting, kleine en grote aantallen.
toets <- data.frame(
  teller_1 = c(12L, 3L, 0L, 0L, 57L, 104L, 26136L, 9L, 5L, 1L, 45L, 240L, 2L, 18L),
  noemer_1 = c(9800L, 3050L, 1500L, 2000L, 22750L, 31000L, 360000L, 4500L, 2000L, 1000L, 12000L, 40000L, 800L, 6000L),
  teller_2 = c(20L, 8L, 5L, 0L, 80L, 104L, 27350L, 9L, 5L, 9L, 30L, 180L, 7L, 6L),
  noemer_2 = c(15000L, 12500L, 4100L, 1000L, 22000L, 31000L, 365000L, 9000L, 2000L, 1000L, 12500L, 41000L, 900L, 6000L)
)
schrijf(toets, "poisson_toets.csv")

## ---------------------------------------------------------------- i. poisson_did.csv
## Tellingen per CBS-eenheid (eenheid) en periode (na = 0, 1) in drie groepen (elk een gemeente
## met een monitorgebied, wijk = 1): groep 1 en 2 overgedispergeerd (negatief binomiaal),
## groep 3 Poisson (de geschatte dispersie ligt dan rond of onder 1).
set.seed(20240507)
rijen <- list()
for (groep in 1:3) {
  n_eenheden <- c(10L, 14L, 8L)[groep]
  wijk <- c(1L, 1L, rep(0L, n_eenheden - 2L))
  noemer0 <- round(runif(n_eenheden, 2000, 12000))
  for (na in 0:1) {
    noemer <- round(noemer0 * (1 + 0.02 * na))
    rate <- c(0.030, 0.012, 0.050)[groep] * exp(0.1 * na - 0.25 * na * wijk + 0.3 * wijk)
    mu <- noemer * rate
    teller <- if (groep < 3) rnbinom(n_eenheden, mu = mu, size = 8) else rpois(n_eenheden, mu)
    rijen[[length(rijen) + 1]] <- data.frame(groep = groep, eenheid = seq_len(n_eenheden), wijk = wijk,
                                             na = na, teller = teller, noemer = noemer)
  }
}
schrijf(do.call(rbind, rijen), "poisson_did.csv")

cat("fixtures geschreven\n")
