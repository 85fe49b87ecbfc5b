import Foundation

/// Which accepted contacts reached each stage's output, its dead letters, both, or
/// neither: the arithmetic of `voc verify`, apart from where the ids come from.
struct Reconciliation {
    struct Stage {
        var name: String
        /// Ids the stage was given.
        var input: Set<String>
        /// Per input id, the distinct ids of what the stage made of it.
        var outputs: [String: Set<String>]
        /// Input ids the stage dead-lettered.
        var deadLettered: Set<String>

        var produced: Int { input.filter { outputs[$0] != nil }.count }
        var deadLetteredCount: Int { input.intersection(deadLettered).count }
        /// Neither an output nor a dead letter.
        var lost: [String] { input.filter { outputs[$0] == nil && !deadLettered.contains($0) }.sorted() }
        /// More than one distinct output, or an output and a dead letter.
        var doubled: [String] {
            input.filter { id in
                let made = outputs[id]?.count ?? 0
                return made > 1 || (made == 1 && deadLettered.contains(id))
            }.sorted()
        }
    }

    var stages: [Stage]
    /// Partitions whose oldest records the broker had already deleted (retention) when
    /// they were read: ids there cannot be reconciled, so the run is not verified.
    var gaps: [String] = []

    var clean: Bool { gaps.isEmpty && stages.allSatisfy { $0.lost.isEmpty && $0.doubled.isEmpty } }

    func report(showing limit: Int = 20) -> String {
        let widths = [15, 9, 9, 14, 9, 8]
        var lines = [tableLine(["STAGE", "IN", "OUT", "DEAD-LETTERED", "LOST", "DOUBLED"], widths: widths)]
        for stage in stages {
            lines.append(tableLine([stage.name, "\(stage.input.count)", "\(stage.produced)", "\(stage.deadLetteredCount)",
                                    "\(stage.lost.count)", "\(stage.doubled.count)"], widths: widths))
        }
        for stage in stages {
            if !stage.lost.isEmpty { lines.append("\(stage.name) lost: " + stage.lost.prefix(limit).joined(separator: " ")) }
            if !stage.doubled.isEmpty { lines.append("\(stage.name) doubled: " + stage.doubled.prefix(limit).joined(separator: " ")) }
        }
        lines += gaps.map { "incomplete: \($0)" }
        lines.append(clean ? "verified: nothing lost, nothing doubled" : "NOT verified")
        return lines.joined(separator: "\n")
    }
}
