import Foundation

/// p99 latency of each hop per second of the load, as an SVG line chart with the 1 s goal
/// drawn across it. Seconds in which nothing accepted reached a hop break its line.
struct E2EChart {
    let result: E2EResult

    private let width = 900.0, height = 420.0
    private let left = 70.0, right = 230.0, top = 40.0, bottom = 50.0
    private let colours = ["#1f77b4", "#2ca02c", "#9467bd", "#d62728"]

    var svg: String {
        let hops = result.hops
        let peak = hops.flatMap { $0.p99PerSecond.compactMap { $0 } }.max() ?? 0
        let yMax = niceCeiling(max(peak, E2EResult.latencyGoalMs) * 1.05)
        let seconds = max(1, result.seconds)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ second: Int) -> Double { left + plotWidth * (Double(second) + 0.5) / Double(seconds) }
        func y(_ ms: Double) -> Double { top + plotHeight * (1 - ms / yMax) }

        var parts = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" font-family="sans-serif" font-size="12">"##,
            ##"<rect width="100%" height="100%" fill="white"/>"##,
            ##"<text x="\##(left)" y="22" font-size="14">voc bench e2e: p99 per second of acceptance, \##(result.rate)/s for \##(result.seconds) s</text>"##,
        ]
        for step in 0...5 {
            let value = yMax * Double(step) / 5
            parts.append(##"<line x1="\##(left)" x2="\##(left + plotWidth)" y1="\##(y(value))" y2="\##(y(value))" stroke="#ddd"/>"##)
            parts.append(##"<text x="\##(left - 6)" y="\##(y(value) + 4)" text-anchor="end">\##(Int(value)) ms</text>"##)
        }
        for step in 0...5 {
            let second = seconds * step / 5
            parts.append(##"<text x="\##(x(second))" y="\##(top + plotHeight + 18)" text-anchor="middle">\##(second) s</text>"##)
        }
        parts.append(##"<text x="\##(left + plotWidth / 2)" y="\##(height - 10)" text-anchor="middle">second of the load in which the interaction was accepted</text>"##)
        parts.append(##"<line x1="\##(left)" x2="\##(left + plotWidth)" y1="\##(y(E2EResult.latencyGoalMs))" y2="\##(y(E2EResult.latencyGoalMs))" stroke="#000" stroke-dasharray="6 4"/>"##)
        parts.append(##"<text x="\##(left + plotWidth + 6)" y="\##(y(E2EResult.latencyGoalMs) + 4)">goal p99 ≤ 1 s</text>"##)

        for (index, hop) in hops.enumerated() {
            let colour = colours[index % colours.count]
            // A gap (no value) starts a new segment.
            var segments: [[String]] = [[]]
            for (second, value) in hop.p99PerSecond.enumerated() {
                if let value {
                    segments[segments.count - 1].append(String(format: "%.1f,%.1f", x(second), y(value)))
                } else if !segments[segments.count - 1].isEmpty {
                    segments.append([])
                }
            }
            for points in segments where !points.isEmpty {
                parts.append(##"<polyline fill="none" stroke="\##(colour)" stroke-width="1.5" points="\##(points.joined(separator: " "))"/>"##)
            }
            let legendY = top + 24 + Double(index) * 36
            let figures = hop.figures.map { String(format: "p50 %.0f / p99 %.0f ms", $0.p50Ms, $0.p99Ms) } ?? "no data"
            parts.append(##"<rect x="\##(left + plotWidth + 6)" y="\##(legendY - 9)" width="12" height="3" fill="\##(colour)"/>"##)
            parts.append(##"<text x="\##(left + plotWidth + 22)" y="\##(legendY - 4)">\##(escape(hop.name.replacingOccurrences(of: "accepted → ", with: "→ ")))</text>"##)
            parts.append(##"<text x="\##(left + plotWidth + 22)" y="\##(legendY + 10)" fill="#555">\##(figures)</text>"##)
        }
        parts.append(##"<rect x="\##(left)" y="\##(top)" width="\##(plotWidth)" height="\##(plotHeight)" fill="none" stroke="#333"/>"##)
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    /// 1, 2 or 5 times a power of ten, at least `value`.
    private func niceCeiling(_ value: Double) -> Double {
        let power = pow(10, floor(log10(max(value, 1))))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= value } ?? 10 * power
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
