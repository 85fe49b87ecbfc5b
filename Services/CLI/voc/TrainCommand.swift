import Analyze
import ArgumentParser
import Foundation
import Logging
import VOCRuntime

/// `voc train`: learns analyze's sentiment and category model from labelled JSON lines.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train analyze's sentiment and category model (LIBLINEAR logistic regression) from labelled JSON lines.",
        discussion: """
            Items are in the `voc analyze --eval` format. Each candidate cost C is trained on --train and
            scored on --dev; the best, with the secondary-category threshold that does best on --dev, is
            written to --out. Same data, same seed: the same bytes.
            """)

    @Option(help: "Labelled training file (repeatable).")
    var train: [String]

    @Option(help: "Labelled dev file (repeatable): chooses C and the secondary-category threshold.")
    var dev: [String]

    @Option(help: "Where to write the model file.")
    var out: String

    @Option(help: "Seed handed to LIBLINEAR.")
    var seed: UInt32 = 1

    @Option(help: "Costs C to try, comma-separated.")
    var costs: String = "1,4,16,64,256"

    @Option(help: "Rule file whose phrase hits become features (default: $VOC_ANALYZE_RULES_PATH, then the bundled pack).")
    var rules: String?

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let rulesURL = try AnalyzeCommand.rulesURL(rules)
        let analyzer = try Analyzer.make(rulesURL: rulesURL, logger: Logger(label: "voc-train"))
        var trainItems: [Evaluation.Item] = []
        for path in train { trainItems += try LabelledData.items(URL(fileURLWithPath: path)) }
        var devItems: [Evaluation.Item] = []
        for path in dev { devItems += try LabelledData.items(URL(fileURLWithPath: path)) }
        let costs = try costs.split(separator: ",").map { text -> Double in
            guard let cost = Double(text.trimmingCharacters(in: .whitespaces)), cost > 0 else { throw ValidationError("--costs: \(text) is not a positive number") }
            return cost
        }
        let training = ModelTraining(categories: analyzer.rules.current().pack.categories.map(\.id), seed: seed, costs: costs)
        let source = (train.map { URL(fileURLWithPath: $0).lastPathComponent } + dev.map { "dev=" + URL(fileURLWithPath: $0).lastPathComponent })
            .joined(separator: " ") + " rules=" + analyzer.rules.current().pack.version
        let outcome = try training.run(train: LabelledData.examples(trainItems, analyzer: analyzer),
                                       dev: LabelledData.examples(devItems, analyzer: analyzer), source: source)
        outcome.report.forEach { print($0) }
        try outcome.file.write(to: URL(fileURLWithPath: out))
        print("wrote \(out): \(outcome.version), \(outcome.file.count) bytes, \(trainItems.count) training items")
    }
}
