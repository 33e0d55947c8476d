## maak_referentie.R -- onafhankelijke referentiewaarden met R's survey-pakket.
## Leest de fixtures van maak_fixtures.R en schrijft:
##   referentie_survey.csv, referentie_did.csv, referentie_poisson.csv, R_sessie.txt
## Conventie: volledig design over het hele bestand, domein via subset(des, gebied == g)
## (gelijk aan svyby), item-missing verwijderd met na.rm = TRUE.

suppressPackageStartupMessages(library(survey))
heeft_sandwich <- requireNamespace("sandwich", quietly = TRUE)
options(survey.lonely.psu = "fail")   # expliciet: de standaardinstelling van survey

num <- function(v) ifelse(is.na(v), NA_character_, sprintf("%.17g", v))  # NaN -> NA -> leeg

schrijf <- function(df, bestand) {
  write.table(df, bestand, sep = ",", dec = ".", quote = FALSE,
              row.names = FALSE, col.names = TRUE, na = "", eol = "\n")
}

## Een rij voor variabele v binnen (domein-)design d.
## Voor y: svyciprop logit-CI (t-verdeling met df = degf(d)); voor x: Wald-CI (normaal).
resultaat <- function(fixture, d, v, gebied, wv) {
  vals <- d$variables[[v]]
  ok <- !is.na(vals)
  f <- as.formula(paste0("~", v))
  m <- tryCatch(svymean(f, d, na.rm = TRUE), error = function(e) {
    message(fixture, "/", gebied, "/", v, ": svymean fout: ", conditionMessage(e)); NULL })
  est <- if (is.null(m)) sum((vals * wv)[ok]) / sum(wv[ok]) else unname(coef(m))
  se <- if (is.null(m)) NA_real_ else unname(SE(m))[1]
  se_logit <- NA_real_; df_ci <- NA_real_
  if (v == "y") {
    df_ci <- degf(d)
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
    ci <- if (is.null(m)) c(NA, NA) else as.numeric(confint(m, level = 0.95))
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
survey_ref <- do.call(rbind, rijen)
schrijf(survey_ref, "referentie_survey.csv")

## ------------------------------------------------------------- verschil-in-verschillen
did <- read.csv("survey_did.csv")
des <- svydesign(ids = ~1, weights = ~w, data = did)
fit <- svyglm(y ~ wijk * post, design = des)
did_ref <- data.frame(methode = "svyglm", term = names(coef(fit)),
                      schatting = num(coef(fit)), se = num(SE(fit)))
if (heeft_sandwich) {
  fit_lm <- lm(y ~ wijk * post, data = did, weights = w)
  for (type in c("HC0", "HC1")) {
    V <- sandwich::vcovHC(fit_lm, type = type)
    did_ref <- rbind(did_ref, data.frame(methode = paste0("lm_", type), term = names(coef(fit_lm)),
                                         schatting = num(coef(fit_lm)), se = num(sqrt(diag(V)))))
  }
}
schrijf(did_ref, "referentie_did.csv")

## ------------------------------------------------------------- Poisson (Garwood, exact)
pois <- read.csv("poisson_counts.csv")
ci <- t(sapply(pois$teller, function(k) poisson.test(k, conf.level = 0.95)$conf.int))
schrijf(data.frame(teller = pois$teller, noemer = pois$noemer,
                   ci_laag_telling = num(ci[, 1]), ci_hoog_telling = num(ci[, 2])),
        "referentie_poisson.csv")

## ------------------------------------------------------------- sessie
sink("R_sessie.txt")
cat("packageVersion('survey'):", as.character(packageVersion("survey")), "\n")
if (heeft_sandwich) cat("packageVersion('sandwich'):", as.character(packageVersion("sandwich")), "\n")
cat("RNGkind:", RNGkind(), "\n\n")
print(sessionInfo())
sink()
cat("referentiebestanden geschreven\n")
