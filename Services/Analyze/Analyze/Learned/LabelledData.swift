import Foundation
import VOCSchema

/// Labelled JSON lines (the `--eval` format, see ``Evaluation``) turned into what the
/// trainer reads: each item analysed with the rules alone, so the features are the same
/// whichever model is in force.
public enum LabelledData {
    /// - Throws: ``AnalyzeError`` naming the file and the item that does not decode.
    public static func items(_ url: URL) throws(AnalyzeError) -> [Evaluation.Item] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw AnalyzeError(.training, "cannot read \(url.path): \(error.localizedDescription)")
        }
        let decoder = JSONCoding.decoder()
        var items: [Evaluation.Item] = []
        for (number, line) in text.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
            do { items.append(try decoder.decode(Evaluation.Item.self, from: Data(line.utf8))) } catch {
                throw AnalyzeError(.training, "\(url.path) line \(number + 1): \(error)")
            }
        }
        return items
    }

    /// - Parameter embedder: when given, each example carries the e5 embedding of its customer text.
    /// - Throws: ``AnalyzeError`` when the engine fails on an item.
    public static func examples(_ items: [Evaluation.Item], analyzer: Analyzer,
                                embedder: SentenceEmbedder? = nil) throws(AnalyzeError) -> [TrainingExample] {
        var examples: [TrainingExample] = []
        for item in items {
            let analysis = analyzer.analyzeWithRules(item.input)
            var embedding: [Float]?
            if let embedder {
                guard let vector = embedder.embed(analysis.features?.text ?? "") else {
                    throw AnalyzeError(.training, "the e5 engine failed on \(item.input.id)")
                }
                embedding = vector
            }
            examples.append(TrainingExample(features: analysis.features?.vector() ?? [:], sentiment: item.expected.sentiment,
                                            categories: item.expected.categories ?? [], language: analysis.insight.language,
                                            embedding: embedding))
        }
        return examples
    }
}
