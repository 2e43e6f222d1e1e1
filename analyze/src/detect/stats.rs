//! Count-model tail probabilities for small counts: the negative binomial upper tail in log space.
//!
//! Owns only numerics (log-gamma, tail sums); knows nothing about series or incidents.

/// The natural logarithm of the gamma function for `x > 0` (Lanczos approximation, g = 7,
/// relative error below 1e-13 over the range detection uses).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const COEFFS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection keeps the approximation accurate near zero.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFS[0];
    for (i, c) in COEFFS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// `-log10 P(X >= observed)` for a negative binomial `X` with this `mean` and `shape` (the
/// dispersion: variance = mean + mean² / shape; a large shape tends to Poisson).
///
/// Returns 0 when `observed` is not above the mean: only upward surprises matter here. The tail
/// is summed from `observed` upwards, where the terms shrink at least geometrically, and the
/// remainder after a bounded number of terms is bounded by a geometric series, so the result
/// errs on the side of a larger probability (a smaller score).
pub(crate) fn nb_upper_tail_score(observed: u64, mean: f64, shape: f64) -> f64 {
    let mean = mean.max(1e-9);
    let x = observed as f64;
    if x <= mean {
        return 0.0;
    }
    let shape = shape.max(1e-3);
    // Success probability of the (shape, p) parametrisation.
    let p = shape / (shape + mean);
    let ln_p = p.ln();
    let ln_q = (mean / (shape + mean)).ln();
    let ln_first =
        ln_gamma(x + shape) - ln_gamma(shape) - ln_gamma(x + 1.0) + shape * ln_p + x * ln_q;
    let q = mean / (shape + mean);
    // Sum of term_k / term_x for k >= x.
    let mut relative = 1.0f64;
    let mut term = 1.0f64;
    let mut k = x;
    for _ in 0..400 {
        let ratio = (k + shape) / (k + 1.0) * q;
        term *= ratio;
        relative += term;
        k += 1.0;
        if term < 1e-15 * relative {
            break;
        }
        if ratio >= 1.0 {
            // Only possible just above the mode; keep summing, the ratio falls with k.
            continue;
        }
        let next_ratio = (k + shape) / (k + 1.0) * q;
        // A relative error of 1e-6 on the tail is far below what a score needs.
        if term * next_ratio / (1.0 - next_ratio) < 1e-6 * relative {
            break;
        }
    }
    let ratio = ((k + shape) / (k + 1.0) * q).min(0.999_999);
    relative += term * ratio / (1.0 - ratio);
    let ln_tail = (ln_first + relative.ln()).min(0.0);
    -ln_tail / std::f64::consts::LN_10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_matches_factorials() {
        let mut fact = 1.0f64;
        for n in 1..30u32 {
            assert!((ln_gamma(n as f64) - fact.ln()).abs() < 1e-9, "n = {n}");
            fact *= n as f64;
        }
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-10);
    }

    fn poisson_tail(x: u64, mean: f64) -> f64 {
        // Direct sum of the lower part for a reference value.
        let mut term = (-mean).exp();
        let mut below = 0.0;
        for k in 0..x {
            below += term;
            term *= mean / (k as f64 + 1.0);
        }
        1.0 - below
    }

    #[test]
    fn large_shape_tends_to_poisson() {
        for (x, mean) in [(5u64, 1.0), (10, 3.0), (30, 12.0), (3, 0.2)] {
            let expected = -poisson_tail(x, mean).log10();
            let got = nb_upper_tail_score(x, mean, 1e7);
            assert!(
                (got - expected).abs() < 0.01 * expected.max(1.0),
                "x {x} mean {mean}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn small_shape_is_more_forgiving_and_extremes_stay_finite() {
        let poissonish = nb_upper_tail_score(20, 4.0, 1e6);
        let dispersed = nb_upper_tail_score(20, 4.0, 2.0);
        assert!(dispersed < poissonish / 2.0, "{dispersed} vs {poissonish}");
        assert_eq!(nb_upper_tail_score(3, 5.0, 10.0), 0.0);
        let huge = nb_upper_tail_score(100_000, 10.0, 30.0);
        assert!(huge.is_finite() && huge > 100.0);
        let tiny_mean = nb_upper_tail_score(12, 1e-6, 0.5);
        assert!(tiny_mean.is_finite() && tiny_mean > 20.0);
    }

    #[test]
    fn geometric_case_is_exact() {
        // shape 1 is the geometric distribution: P(X >= x) = q^x.
        let mean = 2.0;
        let q: f64 = mean / (1.0 + mean);
        let expected = -(q.powi(7)).log10();
        assert!((nb_upper_tail_score(7, mean, 1.0) - expected).abs() < 1e-6);
    }
}
