import Foundation

/// The prompt and hotwords of each business line, handed to the engine so domain words
/// ("principal", "not a deposit", 保本, 赎回) are not misheard.
///
/// Read from a JSON file (`transcribe.vocabularyFile`); the module ships a default.
public struct DomainVocabulary: Sendable, Equatable, Decodable {
    /// The prompt text and hotwords of one business line in one language.
    public struct Terms: Sendable, Equatable, Decodable {
        public var prompt: String?
        public var hotwords: [String]?

        public init(prompt: String? = nil, hotwords: [String]? = nil) {
            self.prompt = prompt
            self.hotwords = hotwords
        }
    }

    /// Terms by language (`en`, `zh`).
    public typealias Entry = [String: Terms]

    /// The language whose terms are sent when the call's language is not known.
    public var defaultLanguage: String?
    public var `default`: Entry?
    public var businessLines: [String: Entry]?

    /// Longest prompt sent: Whisper reads about 224 tokens of prompt and drops the rest.
    public static let maxPromptCharacters = 600

    public init(defaultLanguage: String? = "en", default: Entry? = nil, businessLines: [String: Entry] = [:]) {
        self.defaultLanguage = defaultLanguage
        self.default = `default`
        self.businessLines = businessLines
    }

    /// The prompt for a business line in a language: its text (or the default's), then its hotwords.
    /// - Parameter language: BCP 47 tag; its primary subtag picks the terms (`zh-CN` → `zh`).
    ///   Nil: the file's `defaultLanguage`.
    public func prompt(for businessLine: String, language: String?) -> String? {
        let code = (language ?? defaultLanguage ?? "en").lowercased().split(separator: "-").first.map(String.init) ?? "en"
        guard let terms = businessLines?[businessLine]?[code] ?? self.default?[code] else { return nil }
        var parts: [String] = []
        if let prompt = terms.prompt?.trimmingCharacters(in: .whitespacesAndNewlines), !prompt.isEmpty { parts.append(prompt) }
        if let words = terms.hotwords?.filter({ !$0.isEmpty }), !words.isEmpty {
            parts.append(code == "zh" ? "术语：" + words.joined(separator: "、") + "。" : "Terms: " + words.joined(separator: ", ") + ".")
        }
        guard !parts.isEmpty else { return nil }
        let prompt = parts.joined(separator: " ")
        return prompt.count > Self.maxPromptCharacters ? String(prompt.prefix(Self.maxPromptCharacters)) : prompt
    }

    /// Reads a vocabulary file; an empty path reads the built-in default.
    /// - Throws: ``TranscribeError`` (``TranscribeError/Code/configuration``) naming the file when it is missing or malformed.
    public static func load(path: String) throws(TranscribeError) -> DomainVocabulary {
        let url: URL
        if path.isEmpty {
            guard let builtIn = Bundle.module.url(forResource: "vocabulary", withExtension: "json") else {
                throw TranscribeError(.configuration, "the built-in vocabulary.json is missing from the bundle")
            }
            url = builtIn
        } else {
            url = URL(fileURLWithPath: path)
        }
        do {
            return try JSONDecoder().decode(DomainVocabulary.self, from: Data(contentsOf: url))
        } catch {
            throw TranscribeError(.configuration, "transcribe.vocabularyFile \(url.path): \(error)")
        }
    }
}
