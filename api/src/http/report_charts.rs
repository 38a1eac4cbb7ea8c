//! The monitoring report's charts as inline SVG (pure functions, no JavaScript): horizontal
//! bars of rates, a line of the rate's trend and a histogram. Hand-made rather than `plotters`:
//! without a font engine plotters measures text by its UTF-8 bytes (a Chinese label three times
//! too wide) and its font engines bring system-font lookup or font files into the server.
//! Text is SVG `<text>` in a generic font-family list, so the reader's browser draws the
//! Chinese; every figure shown is an exact decimal written by the caller, floats only place
//! shapes.

use domain::amount::Amount;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Fonts the browser tries in turn; the last is the generic family every browser has.
const FONTS: &str = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',\
'Microsoft YaHei','PingFang SC','Hiragino Sans GB',sans-serif";
const WIDTH: f64 = 680.0;
const BAR: f64 = 18.0;
const GAP: f64 = 6.0;
/// Characters of a bar's label before it is cut with "…".
const LABEL_CHARS: usize = 14;

/// One bar: its label, its value (a rate from 0 to 1) and that value as the reader sees it.
pub struct Bar {
    pub label: String,
    pub value: Amount,
    pub shown: String,
}

/// `rate` as a percentage with up to two places: 0.6667 → "66.67%".
pub fn percent(rate: Amount) -> String {
    let hundred = Amount::round_credits(rate.decimal() * Decimal::from(100));
    format!("{hundred}%")
}

/// Horizontal bars of rates against a 0–100% axis, with the threshold as a dashed line.
pub fn rate_bars(title: &str, bars: &[Bar], threshold: Amount) -> String {
    let (left, right, top) = (190.0, 70.0, 34.0);
    let plot = WIDTH - left - right;
    let height = top + bars.len() as f64 * (BAR + GAP) + 28.0;
    let mut out = open(title, height);
    out.push_str(&axis_ticks(left, plot, top - 6.0, height - 22.0));
    for (i, bar) in bars.iter().enumerate() {
        let y = top + i as f64 * (BAR + GAP);
        let w = plot * share(bar.value);
        out.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty:.1}\" text-anchor=\"end\" font-size=\"12\">{label}</text>\
             <rect class=\"bar\" x=\"{left}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BAR}\" fill=\"#4a7ab7\">\
             <title>{label} {shown}</title></rect>\
             <text x=\"{vx:.1}\" y=\"{ty:.1}\" font-size=\"11\">{shown}</text>",
            lx = left - 6.0,
            ty = y + BAR - 4.0,
            label = esc(&cut(&bar.label)),
            shown = esc(&bar.shown),
            vx = left + w + 4.0,
        ));
    }
    let x = left + plot * share(threshold);
    out.push_str(&format!(
        "<line class=\"threshold\" x1=\"{x:.1}\" y1=\"{y1}\" x2=\"{x:.1}\" y2=\"{y2:.1}\" \
         stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>",
        y1 = top - 6.0,
        y2 = height - 22.0,
    ));
    out.push_str("</svg>");
    out
}

/// The rate's trend: one point per year, joined, on a 0–100% axis, with the threshold.
pub fn trend_line(title: &str, points: &[Bar], threshold: Amount) -> String {
    let (left, right, top, bottom) = (50.0, 30.0, 34.0, 40.0);
    let height = 240.0;
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let step = plot_w / points.len().max(1) as f64;
    let at = |i: usize, v: Amount| {
        (
            left + step * (i as f64 + 0.5),
            top + plot_h * (1.0 - share(v)),
        )
    };
    let mut out = open(title, height);
    for tick in 0..=4 {
        let y = top + plot_h * (1.0 - f64::from(tick) / 4.0);
        out.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\" font-size=\"10\">{p}%</text>",
            x2 = WIDTH - right,
            tx = left - 4.0,
            ty = y + 3.0,
            p = tick * 25,
        ));
    }
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, y) = at(i, p.value);
            format!("{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" })
        })
        .collect();
    out.push_str(&format!(
        "<path class=\"line\" d=\"{}\" fill=\"none\" stroke=\"#4a7ab7\" stroke-width=\"2\"/>",
        path.join(" ")
    ));
    for (i, p) in points.iter().enumerate() {
        let (x, y) = at(i, p.value);
        out.push_str(&format!(
            "<circle class=\"point\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"#4a7ab7\"/>\
             <text x=\"{x:.1}\" y=\"{vy:.1}\" text-anchor=\"middle\" font-size=\"11\">{shown}</text>\
             <text x=\"{x:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" font-size=\"12\">{label}</text>",
            vy = y - 8.0,
            ly = height - bottom + 18.0,
            shown = esc(&p.shown),
            label = esc(&p.label),
        ));
    }
    let y = top + plot_h * (1.0 - share(threshold));
    out.push_str(&format!(
        "<line class=\"threshold\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" \
         stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/></svg>",
        x2 = WIDTH - right,
    ));
    out
}

/// Vertical bars of counts: `(label, teachers)` per bucket, scaled to the largest.
pub fn histogram(title: &str, buckets: &[(String, u64)]) -> String {
    let (left, right, top, bottom) = (40.0, 20.0, 34.0, 44.0);
    let height = 240.0;
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let most = buckets.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let step = plot_w / buckets.len().max(1) as f64;
    let mut out = open(title, height);
    out.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"#444\"/>",
        y = top + plot_h,
        x2 = WIDTH - right,
    ));
    for (i, (label, teachers)) in buckets.iter().enumerate() {
        let h = plot_h * (*teachers as f64) / most;
        let x = left + step * i as f64 + 2.0;
        let y = top + plot_h - h;
        out.push_str(&format!(
            "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"#6a9f58\">\
             <title>{label}: {teachers}</title></rect>\
             <text x=\"{cx:.1}\" y=\"{vy:.1}\" text-anchor=\"middle\" font-size=\"11\">{teachers}</text>\
             <text x=\"{cx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" font-size=\"10\">{label}</text>",
            w = (step - 4.0).max(1.0),
            cx = x + (step - 4.0) / 2.0,
            vy = y - 4.0,
            ly = top + plot_h + 16.0,
            label = esc(label),
        ));
    }
    out.push_str("</svg>");
    out
}

/// The root element and the title line.
fn open(title: &str, height: f64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         viewBox=\"0 0 {WIDTH} {height:.0}\" width=\"100%\" font-family=\"{FONTS}\" fill=\"#222\">\
         <title>{t}</title><text x=\"4\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{t}</text>",
        t = esc(title),
    )
}

/// Gridlines at 0, 25, 50, 75 and 100% for the horizontal bars.
fn axis_ticks(left: f64, plot: f64, y1: f64, y2: f64) -> String {
    (0..=4)
        .map(|tick| {
            let x = left + plot * f64::from(tick) / 4.0;
            format!(
                "<line x1=\"{x:.1}\" y1=\"{y1:.1}\" x2=\"{x:.1}\" y2=\"{y2:.1}\" stroke=\"#ddd\"/>\
                 <text x=\"{x:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" font-size=\"10\">{p}%</text>",
                ty = y2 + 14.0,
                p = tick * 25,
            )
        })
        .collect()
}

/// A rate as a share of the axis, clamped to 0–1 (drawing only).
fn share(v: Amount) -> f64 {
    v.decimal().to_f64().unwrap_or(0.0).clamp(0.0, 1.0)
}

fn cut(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
    s.push('…');
    s
}

/// Text for SVG and HTML alike.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn bar(label: &str, rate: &str) -> Bar {
        let value = Amount::parse(rate).unwrap();
        Bar {
            label: label.into(),
            value,
            shown: percent(value),
        }
    }

    #[test]
    fn percentages_are_exact() {
        assert_eq!(percent(Amount::parse("0.6667").unwrap()), "66.67%");
        assert_eq!(percent(Amount::parse("1").unwrap()), "100%");
        assert_eq!(percent(Amount::ZERO), "0%");
    }

    #[test]
    fn bars_are_one_rect_each_and_scaled_to_the_axis() {
        let svg = rate_bars(
            "各区合格率",
            &[bar("市南区", "1"), bar("市北区<x>", "0.5")],
            Amount::parse("0.98").unwrap(),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        assert!(
            svg.contains("width=\"420.0\""),
            "100% is the whole plot: {svg}"
        );
        assert!(svg.contains("width=\"210.0\""), "50% is half of it");
        assert!(
            svg.contains("市北区&lt;x&gt;") && !svg.contains("<x>"),
            "escaped"
        );
        assert!(svg.contains("50%") && svg.contains("class=\"threshold\""));
        assert!(
            svg.contains("sans-serif"),
            "a generic family closes the list"
        );
    }

    #[test]
    fn the_trend_is_one_path_through_every_point() {
        let svg = trend_line(
            "趋势",
            &[bar("2024", "0"), bar("2025", "0.5"), bar("2026", "1")],
            Amount::parse("0.98").unwrap(),
        );
        assert_eq!(svg.matches("class=\"line\"").count(), 1);
        assert_eq!(svg.matches("class=\"point\"").count(), 3);
        let d = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(d.matches('L').count(), 2, "{d}");
        // 0% at the bottom of the plot (y = 200), 100% at the top (y = 34).
        assert!(
            d.starts_with("M") && d.contains(" 200.0") && d.ends_with(" 34.0"),
            "{d}"
        );
    }

    #[test]
    fn the_histogram_scales_to_the_largest_bucket() {
        let svg = histogram(
            "分布",
            &[("0–10".into(), 4), ("10–20".into(), 2), ("20–30".into(), 0)],
        );
        assert_eq!(svg.matches("class=\"bar\"").count(), 3);
        assert!(
            svg.contains("height=\"162.0\""),
            "the largest fills the plot"
        );
        assert!(svg.contains("height=\"81.0\""), "half of it");
        assert!(svg.contains("height=\"0.0\""));
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(
            cut("青岛市市南区第二实验小学附属幼儿园分部"),
            "青岛市市南区第二实验小学附…"
        );
        assert_eq!(cut("市南区"), "市南区");
    }
}
