## maak_referentie.R -- onafhankelijke referentiewaarden met R's survey-pakket.
## Leest de fixtures van maak_fixtures.R en schrijft:
##   referentie_survey.csv, referentie_did.csv, referentie_did_ontwerp.csv, referentie_poisson.csv,
##   referentie_poisson_toets.csv, referentie_poisson_did.csv, R_sessie.txt
## Conventie: volledig design over het hele bestand, domein via subset(des, gebied == g)
## (gelijk aan svyby), item-missing verwijderd met na.rm = TRUE.

suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")   # expliciet: de standaardinstelling van survey

num <- function(v) ifelse(is.na(v), NA_character_, sprintf("%.17g", v))  # NaN -> NA -> leeg

schrijf <- function(df, bestand) {
  write.table(df, bestand, sep = ",", dec = ".", quote = FALSE,
              row.names = FALSE, col.names = TRUE, na = "", eol = "\n")
}

## Een rij voor variabele v binnen (domein-)design d.
## Voor y: svyciprop logit-CI (t-verdeling met df = degf(d)); voor x: Wald-CI met dezelfde
## t-verdeling, confint(svymean, df = degf(d)) (vwanalyse kiest bewust t, niet R's standaard normaal).
resultaat <- function(fixture, d, v, gebied, wv) {
  vals <- d$variables[[v]]
  ok <- !is.na(vals)
  f <- as.formula(paste0("~", v))
  m <- tryCatch(svymean(f, d, na.rm = TRUE), error = function(e) {
    message(fixture, "/", gebied, "/", v, ": svymean fout: ", conditionMessage(e)); NULL })
  est <- if (is.null(m)) sum((vals * wv)[ok]) / sum(wv[ok]) else unname(coef(m))
  se <- if (is.null(m)) NA_real_ else unname(SE(m))[1]
  se_logit <- NA_real_
  df_ci <- degf(d)
  if (v == "y") {
    ci <- tryCatch(withCallingHandlers(
            attr(svyciprop(f, d, method = "logit", level = 0.95), "ci"),
            warning = function(w) {
              message(fixture, "/", gebied, ": svyciprop waarschuwing: ", conditionMessage(w))
              invokeRestart("muffleWarning") }),
          error = function(e) {
            message(fixture, "/", gebied, ": svyciprop fout: ", conditionMessage(e)); c(NA, NA) })
    g <- tryCatch(suppressWarnings(svyglm(y ~ 1, d, family = quasibinomial)),
                  error = function(e) NULL)
    if (!is.null(g)) se_logit <- unname(SE(g))[1]
  } else {
    ci <- if (is.null(m)) c(NA, NA) else as.numeric(confint(m, level = 0.95, df = df_ci))
  }
  data.frame(fixture = fixture, variabele = v, gebied = gebied,
             schatting = num(est), se = num(se),
             ci_laag = num(ci[1]), ci_hoog = num(ci[2]),
             n_ongewogen = sum(ok), som_gewichten = num(sum(wv[ok])),
             se_logit = num(se_logit), df_ci = num(df_ci))
}

rijen <- list()

## ------------------------------------------------------------- SRS en gestratificeerd
designs <- list(
  survey_srs = function(df) svydesign(ids = ~1, weights = ~w, data = df),
  survey_strat = function(df) svydesign(ids = ~psu, strata = ~stratum, weights = ~w,
                                        data = df, nest = TRUE)
)
for (fx in names(designs)) {
  df <- read.csv(paste0(fx, ".csv"), stringsAsFactors = FALSE)
  des <- designs[[fx]](df)
  for (v in c("y", "x")) {
    for (g in sort(unique(df$gebied))) {
      dsub <- subset(des, gebied == g)
      rijen[[length(rijen) + 1]] <- resultaat(fx, dsub, v, g, df$w[df$gebied == g])
    }
    ## controle: svyby geeft identieke schattingen en SE's
    f <- as.formula(paste0("~", v))
    by <- svyby(f, ~gebied, des, svymean, na.rm = TRUE)
    eigen <- do.call(rbind, rijen)
    eigen <- eigen[eigen$fixture == fx & eigen$variabele == v, ]
    eigen <- eigen[match(as.character(by$gebied), eigen$gebied), ]
    stopifnot(isTRUE(all.equal(unname(coef(by)), as.numeric(eigen$schatting), tolerance = 1e-12)),
              isTRUE(all.equal(unname(SE(by)), as.numeric(eigen$se), tolerance = 1e-12)),
              max(abs(unname(coef(by)) - as.numeric(eigen$schatting))) < 1e-12,
              max(abs(unname(SE(by)) - as.numeric(eigen$se))) < 1e-12)
  }
}

## ------------------------------------------------------------- randgevallen
rand <- read.csv("survey_randgevallen.csv", stringsAsFactors = FALSE)
for (geval in unique(rand$geval)) {
  dfg <- rand[rand$geval == geval, ]
  des <- tryCatch(svydesign(ids = ~1, weights = ~w, data = dfg), error = function(e) {
    message("randgevallen/", geval, ": svydesign fout: ", conditionMessage(e)); NULL })
  if (is.null(des)) {
    ## survey weigert een design met 1 PSU: alleen de gewogen puntschatting, SE/CI = NA
    ok <- !is.na(dfg$y)
    rijen[[length(rijen) + 1]] <- data.frame(
      fixture = "randgevallen", variabele = "y", gebied = geval,
      schatting = num(sum((dfg$y * dfg$w)[ok]) / sum(dfg$w[ok])), se = NA, ci_laag = NA,
      ci_hoog = NA, n_ongewogen = sum(ok), som_gewichten = num(sum(dfg$w[ok])),
      se_logit = NA, df_ci = NA)
  } else {
    rijen[[length(rijen) + 1]] <- resultaat("randgevallen", des, "y", geval, dfg$w)
  }
}
## ------------------------------------------------------------- PSU's genest in strata
## PSU-codes die per stratum opnieuw beginnen: zonder nest = TRUE weigert survey het ontwerp.
gen <- read.csv("survey_genest.csv")
fout <- tryCatch({svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = gen); "geen fout"},
                 error = function(e) conditionMessage(e))
stopifnot(grepl("not nested", fout))
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = gen, nest = TRUE)
rijen[[length(rijen) + 1]] <- resultaat("survey_genest", des, "y", "alle", gen$w)

## ------------------------------------------------------------- strata met één PSU
eenzaam <- read.csv("survey_eenzaam.csv", stringsAsFactors = FALSE)
for (optie in c("certainty", "adjust")) {
  options(survey.lonely.psu = optie)
  des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = eenzaam, nest = TRUE)
  for (v in c("y", "x")) {
    for (g in sort(unique(eenzaam$gebied))) {
      rijen[[length(rijen) + 1]] <- resultaat(paste0("survey_eenzaam_", optie), subset(des, gebied == g), v, g,
                                              eenzaam$w[eenzaam$gebied == g])
    }
  }
}
options(survey.lonely.psu = "fail")

survey_ref <- do.call(rbind, rijen)
schrijf(survey_ref, "referentie_survey.csv")

## ------------------------------------------------------------- verschil-in-verschillen
## Twee onafhankelijke metingen (post = 0, 1) zonder PSU's: elke meting een stratum.
did <- read.csv("survey_did.csv")
des <- svydesign(ids = ~1, strata = ~post, weights = ~w, data = did)
fit <- svyglm(y ~ wijk * post, design = des)
did_ref <- data.frame(methode = "svyglm", term = names(coef(fit)),
                      schatting = num(coef(fit)), se = num(SE(fit)))
schrijf(did_ref, "referentie_did.csv")

## ------------------------------------------------------------- verschil-in-verschillen met design
## Gestapelde metingen, strata = stratum x meting, PSU's = huishoudens (binnen een gebied) of
## blokken (over de grens van wijk en rest), beide per stratum genummerd (nest = TRUE); of geen
## PSU's (ids = ~1, strata = meting). Model op de gemeente: subset(design, gemeente == 1).
## Daarnaast per meting het verschil wijk - rest met de covariantie uit het design
## (svyby(covmat = TRUE) en svycontrast); de DiD-variantie is de som van die twee.
did_o <- read.csv("survey_did_ontwerp.csv")
ontwerpen <- list(
  huishouden = function(d) svydesign(ids = ~hh, strata = ~interaction(stratum, na), weights = ~w,
                                     data = d, nest = TRUE),
  blok = function(d) svydesign(ids = ~blok, strata = ~interaction(stratum, na), weights = ~w,
                               data = d, nest = TRUE),
  zonder = function(d) svydesign(ids = ~1, strata = ~na, weights = ~w, data = d)
)
did_o_ref <- list()
for (naam in names(ontwerpen)) {
  des <- ontwerpen[[naam]](did_o)
  fit <- svyglm(y ~ wijk * na, design = subset(des, gemeente == 1))
  varianties <- c()
  for (m in 0:1) {
    ## item-missing als domein weggelaten (svyby weigert na.rm samen met covmat)
    by <- svyby(~y, ~wijk, subset(des, gemeente == 1 & na == m & !is.na(y)), svymean, covmat = TRUE)
    verschil <- svycontrast(by, c(-1, 1))  # wijk (1) min rest (0)
    onafhankelijk <- sqrt(sum(SE(by)^2))   # alsof wijk en rest onafhankelijk waren
    varianties <- c(varianties, as.numeric(SE(verschil))^2)
    did_o_ref[[length(did_o_ref) + 1]] <- data.frame(
      ontwerp = naam, grootheid = paste0("verschil_na", m), schatting = num(as.numeric(coef(verschil))),
      se = num(as.numeric(SE(verschil))), se_onafhankelijk = num(onafhankelijk))
  }
  i <- which(names(coef(fit)) == "wijk:na")
  stopifnot(abs(SE(fit)[i]^2 - sum(varianties)) < 1e-14)
  did_o_ref[[length(did_o_ref) + 1]] <- data.frame(
    ontwerp = naam, grootheid = "did", schatting = num(unname(coef(fit)[i])), se = num(unname(SE(fit)[i])),
    se_onafhankelijk = NA)
}
schrijf(do.call(rbind, did_o_ref), "referentie_did_ontwerp.csv")

## ------------------------------------------------------------- Poisson (Garwood, exact)
pois <- read.csv("poisson_counts.csv")
ci <- t(sapply(pois$teller, function(k) poisson.test(k, conf.level = 0.95)$conf.int))
schrijf(data.frame(teller = pois$teller, noemer = pois$noemer,
                   ci_laag_telling = num(ci[, 1]), ci_hoog_telling = num(ci[, 2])),
        "referentie_poisson.csv")

## ------------------------------------------------------------- Poisson-toets voor twee tellingen
## Exacte conditionele toets: poisson.test(c(x1, x2), c(t1, t2)) = binom.test(x1, x1 + x2, t1/(t1 + t2)).
## Twee nullen: binom.test weigert n = 0 (geen toets, leeg).
tt <- read.csv("poisson_toets.csv")
p_toets <- mapply(function(x1, t1, x2, t2) {
  if (x1 + x2 == 0) return(NA_real_)
  poisson.test(c(x1, x2), c(t1, t2))$p.value
}, tt$teller_1, tt$noemer_1, tt$teller_2, tt$noemer_2)
schrijf(data.frame(tt, p = num(p_toets)), "referentie_poisson_toets.csv")

## ------------------------------------------------------------- quasi-Poisson verschil-in-verschillen
## Tellingen per eenheid en periode; model met identiteitslink op de rate, zodat de interactieterm
## het verschil-in-verschillen van de rates is: teller ~ 0 + noemer x (1 + wijk + na + wijk:na).
## Met quasipoisson schat R de dispersie (Pearson chi^2 / df.residual); de p-waarde is de t-toets
## op df.residual. Daarnaast hetzelfde model met family = poisson (dispersie 1).
pdid <- read.csv("poisson_did.csv")
pdid_ref <- list()
for (g in sort(unique(pdid$groep))) {
  d <- pdid[pdid$groep == g, ]
  f <- teller ~ 0 + noemer + I(noemer * wijk) + I(noemer * na) + I(noemer * wijk * na)
  for (familie in c("quasipoisson", "poisson")) {
    fit <- glm(f, family = get(familie)(link = "identity"), data = d)
    s <- summary(fit)$coefficients
    ## p_t: dezelfde schatting en SE met de t-verdeling op df.residual (voor een dispersie die
    ## vwanalyse op 1 zet); bij quasipoisson is dat R's eigen p
    pdid_ref[[length(pdid_ref) + 1]] <- data.frame(
      groep = g, familie = familie, schatting = num(s[4, 1]), se = num(s[4, 2]), p = num(s[4, 4]),
      p_t = num(2 * pt(-abs(s[4, 1] / s[4, 2]), fit$df.residual)),
      dispersie = num(summary(fit)$dispersion), df_residueel = fit$df.residual)
  }
}
schrijf(do.call(rbind, pdid_ref), "referentie_poisson_did.csv")

## ------------------------------------------------------------- sessie
sink("R_sessie.txt")
cat("packageVersion('survey'):", as.character(packageVersion("survey")), "\n")
cat("RNGkind:", RNGkind(), "\n\n")
print(sessionInfo())
sink()
cat("referentiebestanden geschreven\n")
