//! Seasonal, outage-robust baselines learned causally from hourly totals.
//!
//! For the hour starting at `h`, the expected rate of a series (voices per minute of normal
//! ingest volume) comes only from hours before `h`: the same hour of day over the last two weeks
//! and the same hour of week over the last four weeks (each a three-hour band, so sparse series
//! are not all zeros), with every sample capped at what the pooled rate makes plausible so that
//! past outages do not inflate it, and hours inside known incidents left out. With less than three days of
//! history the recent level stands in, with a smaller dispersion shape: wider uncertainty rather
//! than silence or panic. Owns no series and no thresholds.

/// Hourly totals of one series.
#[derive(Debug, Clone)]
pub(crate) struct Hourly {
    /// Sum of the counted values in each hour.
    pub value: Vec<f64>,
    /// Exposure of each hour: minutes weighted by the ingest-volume ratio (60 at normal volume).
    pub exposure: Vec<f64>,
}

impl Hourly {
    pub fn from_minutes(values: impl Iterator<Item = f64>, exposure_per_minute: &[f64]) -> Hourly {
        let hours = exposure_per_minute.len().div_ceil(60);
        let mut value = vec![0.0; hours];
        for (m, v) in values.enumerate() {
            value[m / 60] += v;
        }
        let mut exposure = vec![0.0; hours];
        for (m, e) in exposure_per_minute.iter().enumerate() {
            exposure[m / 60] += e;
        }
        Hourly { value, exposure }
    }
}

/// What the baseline says about one hour of one series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Estimate {
    /// Expected count per minute of normal exposure.
    pub rate: f64,
    /// Negative-binomial shape: how much the estimate can be trusted (small = wide).
    pub shape: f64,
}

/// Tuning of the estimator, from the detector configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EstimatorSettings {
    pub prior_rate: f64,
    pub prior_count: f64,
    pub max_shape: f64,
    pub cold_max_shape: f64,
    /// Trim the lowest samples too (for volume, where gaps are the outliers).
    pub trim_low: bool,
}

/// (value, exposure) over a three-hour band centred on `centre`, skipping unusable hours.
fn band(h: &Hourly, usable: &dyn Fn(usize) -> bool, centre: isize) -> Option<(f64, f64)> {
    let mut v = 0.0;
    let mut e = 0.0;
    for c in centre - 1..=centre + 1 {
        if c < 0 || c as usize >= h.value.len() || !usable(c as usize) {
            continue;
        }
        v += h.value[c as usize];
        e += h.exposure[c as usize];
    }
    (e >= 30.0).then_some((v, e))
}

/// The most samples an estimate pools (24 recent hours).
const MAX_SAMPLES: usize = 24;

/// Pooled rate of samples, robust to outliers without the downward bias that trimming has on
/// sparse counts: each sample is capped at what the pooled rate makes plausible (Poisson mean
/// plus three standard deviations), twice; with `two_sided` (volume, where collector gaps are
/// the outliers) samples far below are raised to the lower bound as well. Returns the rate and
/// the capped count that supports it.
fn robust_rate(samples: &[(f64, f64)], two_sided: bool) -> Option<(f64, f64)> {
    let exposure: f64 = samples.iter().map(|s| s.1).sum();
    if exposure <= 0.0 {
        return None;
    }
    let mut rate = if samples.len() >= 3 {
        // Start from the median rate so that one huge outage cannot set the cap. At most
        // `MAX_SAMPLES` samples: sorted on the stack, since this runs for every series hourly.
        let mut rates = [0.0f64; MAX_SAMPLES];
        let mut n = 0;
        for s in samples.iter().filter(|s| s.1 > 0.0).take(MAX_SAMPLES) {
            rates[n] = s.0 / s.1;
            n += 1;
        }
        let rates = &mut rates[..n];
        rates.sort_unstable_by(f64::total_cmp);
        let median = rates.get(rates.len() / 2).copied().unwrap_or(0.0);
        let mean = samples.iter().map(|s| s.0).sum::<f64>() / exposure;
        median.max(0.5 * mean)
    } else {
        samples.iter().map(|s| s.0).sum::<f64>() / exposure
    };
    let mut support = 0.0;
    for _ in 0..2 {
        let mut total = 0.0;
        for &(v, e) in samples {
            let mu = rate * e;
            let spread = 3.0 * mu.sqrt() + 3.0;
            let mut capped = v.min(mu + spread + 0.5 * mu);
            if two_sided {
                capped = capped.max((mu - spread - 0.5 * mu).max(0.0));
            }
            total += capped;
        }
        rate = total / exposure;
        support = total;
    }
    Some((rate, support))
}

/// Whether the estimate for hour `hour` is seasonal (at least three days of usable history at
/// that time of day) rather than the cold-start recent level.
pub(crate) fn is_seasonal(h: &Hourly, usable: &dyn Fn(usize) -> bool, hour: usize) -> bool {
    (1..=14)
        .filter(|k| band(h, usable, hour as isize - 24 * k).is_some())
        .count()
        >= 3
}

/// The estimate for hour `hour` of the series `h`, from hours before it where `usable` holds.
pub(crate) fn estimate(
    h: &Hourly,
    usable: &dyn Fn(usize) -> bool,
    hour: usize,
    s: &EstimatorSettings,
) -> Estimate {
    let hour = hour as isize;
    // Fixed-size buffers: no allocation for the estimate every series needs every hour.
    let mut daily_buf = [(0.0, 0.0); 14];
    let mut n_daily = 0;
    for k in 1..=14 {
        if let Some(sample) = band(h, usable, hour - 24 * k) {
            daily_buf[n_daily] = sample;
            n_daily += 1;
        }
    }
    let daily = &daily_buf[..n_daily];
    let mut weekly_buf = [(0.0, 0.0); 4];
    let mut n_weekly = 0;
    for k in 1..=4 {
        if let Some(sample) = band(h, usable, hour - 168 * k) {
            weekly_buf[n_weekly] = sample;
            n_weekly += 1;
        }
    }
    let weekly = &weekly_buf[..n_weekly];
    let mut recent_buf = [(0.0, 0.0); 24];
    let mut n_recent = 0;
    for k in 1..=24 {
        let c = hour - k;
        if c >= 0 && usable(c as usize) && h.exposure[c as usize] >= 10.0 {
            recent_buf[n_recent] = (h.value[c as usize], h.exposure[c as usize]);
            n_recent += 1;
        }
    }
    let recent = &recent_buf[..n_recent];
    let level = robust_rate(recent, s.trim_low);

    let (rate, support, seasonal) = if daily.len() >= 3 {
        let (tod, tod_support) = robust_rate(daily, s.trim_low).unwrap_or((0.0, 0.0));
        match robust_rate(weekly, s.trim_low).filter(|_| weekly.len() >= 2) {
            Some((how, how_support)) => {
                let nw = weekly.len() as f64;
                (
                    (how * nw + tod * 3.0) / (nw + 3.0),
                    tod_support + how_support,
                    true,
                )
            }
            None => (tod, tod_support, true),
        }
    } else if let Some((lvl, support)) = level {
        (lvl, support, false)
    } else {
        (s.prior_rate, 0.0, false)
    };
    // A seasonal low must not drop far under the recent level: night-time zeros are sampling
    // noise for sparse series, not certainty.
    let floor = level.map(|(l, _)| 0.2 * l).unwrap_or(0.0);
    let rate = rate.max(floor).max(1e-4);
    let cap = if seasonal {
        s.max_shape
    } else {
        s.cold_max_shape
    };
    let shape = (support + s.prior_count).min(cap);
    Estimate { rate, shape }
}
