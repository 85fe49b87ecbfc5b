import Foundation

/// The prompt and hotwords of each business line, handed to the engine so domain words
/// ("principal", "not a deposit", 保本, 赎回) are not misheard.
///
/// Read from a JSON file (`transcribe.vocabularyFile`); the module ships a default.
public struct DomainVocabulary: Sendable, Equatable, Decodable {
    public struct Entry: Sendable, Equatable, Decodable {
        public var prompt: String?
        public var hotwords: [String]?

        public init(prompt: String? = nil, hotwords: [String]? = nil) {
            self.prompt = prompt
            self.hotwords = hotwords
        }
    }

    public var `default`: Entry?
    public var businessLines: [String: Entry]?

    /// Longest prompt sent: Whisper reads about 224 tokens of prompt and drops the rest.
    public static let maxPromptCharacters = 600

    public init(default: Entry? = nil, businessLines: [String: Entry] = [:]) {
        self.default = `default`
        self.businessLines = businessLines
    }

    /// The prompt for a business line: its own (or the default) text, then its hotwords.
    public func prompt(for businessLine: String) -> String? {
        let entry = businessLines?[businessLine] ?? self.default
        guard let entry else { return nil }
        var parts: [String] = []
        if let prompt = entry.prompt?.trimmingCharacters(in: .whitespacesAndNewlines), !prompt.isEmpty { parts.append(prompt) }
        if let words = entry.hotwords?.filter({ !$0.isEmpty }), !words.isEmpty {
            parts.append("Terms: " + words.joined(separator: ", ") + ".")
        }
        guard !parts.isEmpty else { return nil }
        let prompt = parts.joined(separator: " ")
        return prompt.count > Self.maxPromptCharacters ? String(prompt.prefix(Self.maxPromptCharacters)) : prompt
    }

    /// Reads a vocabulary file; an empty path reads the built-in default.
    /// - Throws: ``TranscribeError`` (``TranscribeError/Code/toolFailed``) naming the file when it is missing or malformed.
    public static func load(path: String) throws(TranscribeError) -> DomainVocabulary {
        let url: URL
        if path.isEmpty {
            guard let builtIn = Bundle.module.url(forResource: "vocabulary", withExtension: "json") else {
                throw TranscribeError(.toolFailed, "the built-in vocabulary.json is missing from the bundle")
            }
            url = builtIn
        } else {
            url = URL(fileURLWithPath: path)
        }
        do {
            return try JSONDecoder().decode(DomainVocabulary.self, from: Data(contentsOf: url))
        } catch {
            throw TranscribeError(.toolFailed, "transcribe.vocabularyFile \(url.path): \(error)")
        }
    }
}
