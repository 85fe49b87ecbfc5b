import Foundation

/// Geometry of the console's charts, computed on the server so the pages need no chart
/// script: the templates draw `<svg>` elements from these numbers.
enum SVGChart {
    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A ceiling for the y axis with round ticks: 1, 2 or 5 times a power of ten.
    static func niceMaximum(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    /// Lines over days: one polyline per series, y ticks and a few day labels.
    static func lines(days: [String], series: [(name: String, style: String, values: [Double])], width: Double = 720,
                      height: Double = 240) -> [String: Any] {
        let (left, right, top, bottom) = (44.0, 12.0, 12.0, 28.0)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maximum = niceMaximum(series.flatMap(\.values).max() ?? 0)
        func x(_ index: Int) -> Double { days.count < 2 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(days.count - 1) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - value / maximum) }
        let ticks = (0...4).map { step -> [String: Any] in
            let value = maximum * Double(step) / 4
            return ["y": number(y(value)), "label": value.rounded() == value ? String(Int(value)) : number(value)]
        }
        let every = max(1, Int((Double(days.count) / 7).rounded(.up)))
        let labels = days.enumerated().filter { $0.offset % every == 0 }.map { index, day -> [String: Any] in
            ["x": number(x(index)), "label": String(day.suffix(5))]
        }
        let lines = series.map { line -> [String: Any] in
            ["name": line.name, "style": line.style,
             "points": line.values.enumerated().map { "\(number(x($0.offset))),\(number(y($0.element)))" }.joined(separator: " "),
             "dots": line.values.enumerated().map { ["cx": number(x($0.offset)), "cy": number(y($0.element)), "value": number($0.element),
                                                     "day": days[$0.offset]] }]
        }
        return ["width": number(width), "height": number(height), "left": number(left), "right": number(width - right),
                "bottom": number(top + plotHeight), "labelY": number(height - 8), "ticks": ticks, "labels": labels, "series": lines]
    }

    /// Horizontal bars: each row's total, with its negative part drawn over it.
    static func bars(_ rows: [(label: String, total: Double, negative: Double)], width: Double = 720) -> [String: Any] {
        let (labelWidth, rowHeight, valueWidth) = (170.0, 24.0, 70.0)
        let plotWidth = width - labelWidth - valueWidth
        let maximum = max(1, rows.map(\.total).max() ?? 1)
        let drawn = rows.enumerated().map { index, row -> [String: Any] in
            let y = Double(index) * rowHeight
            return ["label": row.label, "y": number(y + 4), "textY": number(y + 17), "x": number(labelWidth),
                    "width": number(max(1, plotWidth * row.total / maximum)), "negativeWidth": number(plotWidth * row.negative / maximum),
                    "valueX": number(labelWidth + plotWidth + 6), "value": "\(Int(row.total)) / \(Int(row.negative))"]
        }
        return ["width": number(width), "height": number(max(rowHeight, Double(rows.count) * rowHeight + 4)), "rows": drawn,
                "labelX": number(labelWidth - 6)]
    }
}
