import Foundation

/// What `voc bench e2e` measured: written as `report.json`, printed as text.
struct E2EResult: Codable, Sendable {
    struct Figures: Codable, Sendable {
        var count: Int
        var p50Ms: Double
        var p99Ms: Double
        var maxMs: Double

        init?(_ values: [Double]) {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            let at = { (q: Double) in sorted[Int((q * Double(sorted.count - 1)).rounded(.up))] }
            count = sorted.count
            p50Ms = at(0.5)
            p99Ms = at(0.99)
            maxMs = sorted[sorted.count - 1]
        }
    }

    /// One hop's figures over the run and per second of acceptance (for the chart).
    struct Hop: Codable, Sendable {
        var name: String
        var figures: Figures?
        /// Interactions accepted that never reached the hop's end.
        var missing: Int
        /// p99 per second since the load began (nil: nothing accepted in that second reached it).
        var p99PerSecond: [Double?]
    }

    static let latencyGoalMs = 1_000.0
    static let rssGoalMiB = 256.0

    var rate: Int
    var seconds: Int
    var sent: Int
    var accepted: Int
    var rejected: Int
    var cores: Int
    var hops: [Hop]
    var resources: [ResourceSampler.Usage]
    var machine: String
    var measuredAt: Date

    init(rate: Int, seconds: Int, sent: Int, accepted: Int, rejected: Int, feedStarted: Date, marks: [String: E2EMark],
         resources: [ResourceSampler.Usage], cores: Int) {
        (self.rate, self.seconds, self.sent, self.accepted, self.rejected, self.cores) = (rate, seconds, sent, accepted, rejected, cores)
        self.resources = resources
        measuredAt = Date()
        machine = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).map { "load average at the end: " + $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? ""
        let startMs = feedStarted.timeIntervalSince1970 * 1000
        let ends: [(String, KeyPath<E2EMark, Double?>)] = [
            ("accepted → insight", \.insightMs),
            ("accepted → customer 360", \.projectedMs),
            ("accepted → owner notification requested", \.ownerRequestedMs),
            ("accepted → owner notified", \.ownerNotifiedMs),
        ]
        hops = ends.map { name, end in
            var all: [Double] = []
            var perSecond = [[Double]](repeating: [], count: seconds)
            for mark in marks.values {
                guard let accepted = mark.acceptedMs, let reached = mark[keyPath: end] else { continue }
                let latency = reached - accepted
                all.append(latency)
                let second = Int((accepted - startMs) / 1000)
                if perSecond.indices.contains(second) { perSecond[second].append(latency) }
            }
            return Hop(name: name, figures: Figures(all), missing: accepted - all.count,
                       p99PerSecond: perSecond.map { Figures($0)?.p99Ms })
        }
    }

    /// The services' usage; the bench's own process is listed apart.
    var services: [ResourceSampler.Usage] { resources.filter { $0.name.hasPrefix("voc-") } }

    var latencyGoalMet: Bool {
        hops.filter { $0.name != "accepted → owner notification requested" }.allSatisfy { hop in
            hop.missing == 0 && (hop.figures?.p99Ms ?? .infinity) <= Self.latencyGoalMs
        }
    }

    var memoryGoalMet: Bool { !services.isEmpty && services.allSatisfy { $0.peakRSSMiB <= Self.rssGoalMiB } }

    var text: String {
        func ms(_ value: Double) -> String { String(format: "%.0f ms", value) }
        var lines = [
            "",
            "End-to-end benchmark: every service as its own process, embedded broker (3 brokers), PostgreSQL; \(cores) cores shared by all (\(machine))",
            "  \(rate)/s for \(seconds) s: \(sent) sent, \(accepted) accepted (202), \(rejected) not accepted",
            "  accepted = the interaction's record timestamp on voc.interaction.received.v1 (ingest answers 202 after the broker's ack)",
            "",
        ]
        for hop in hops {
            let figures = hop.figures.map { "p50 \(ms($0.p50Ms))   p99 \(ms($0.p99Ms))   max \(ms($0.maxMs))" } ?? "-"
            lines.append("  " + hop.name.padding(toLength: 42, withPad: " ", startingAt: 0) + figures + (hop.missing > 0 ? "   (\(hop.missing) never reached)" : ""))
        }
        lines.append("  goal: p99 ≤ \(ms(Self.latencyGoalMs)) on every hop, nothing missing: \(latencyGoalMet ? "met" : "NOT met")")
        lines.append("")
        lines.append("  process".padding(toLength: 40, withPad: " ", startingAt: 0) + "peak RSS   last RSS   CPU s (load+drain)   CPU s (since start)")
        for usage in resources {
            lines.append("  " + usage.name.padding(toLength: 38, withPad: " ", startingAt: 0)
                + String(format: "%6.1f MiB %7.1f MiB %12.1f %20.1f", usage.peakRSSMiB, usage.lastRSSMiB, usage.cpuSeconds, usage.cpuSecondsTotal)
                + (usage.restarts > 0 ? "   (restarted \(usage.restarts)×)" : ""))
        }
        lines.append("  goal: every service ≤ \(Int(Self.rssGoalMiB)) MiB RSS: \(memoryGoalMet ? "met" : "NOT met")")
        lines.append("")
        lines += E2EStageRatios.lines
        return lines.joined(separator: "\n")
    }

    /// Writes `report.json` and `latency.svg` into `folder`.
    func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: folder.appendingPathComponent("report.json"))
        try Data(E2EChart(result: self).svg.utf8).write(to: folder.appendingPathComponent("latency.svg"))
    }
}

/// Where the ratios of the stage benchmarks to their peers come from: they are measured
/// by the stage benchmarks, which print them and save no report this one could read.
enum E2EStageRatios {
    static let lines = [
        "  Stage benchmarks against their peers (not run here; each prints its ratio, none saves a report to read):",
        "    voc bench ingest    HTTP batch / kcat on the same broker        docs/operations.md#benchmark",
        "    voc bench analyze   insights/s and memory against a Python peer  docs/analysis.md#benchmark",
        "    voc bench route, notify (no peer): figures in docs/routing.md#benchmark, docs/notifications.md#benchmark",
    ]
}
