/// One thing wrong with one field of an input, phrased for the person who sent it.
public struct FieldProblem: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// JSON path of the field, e.g. `utterances[2].text`; empty for the whole document.
    public var field: String
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { field.isEmpty ? problem : "\(field): \(problem)" }
}

/// An input that cannot become an event, with every problem found (not only the first).
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The bytes are not JSON, or not a JSON object.
        case malformed
        /// Well-formed JSON whose fields break the contract.
        case invalid
    }

    public var kind: Kind
    public var problems: [FieldProblem]

    public init(kind: Kind, problems: [FieldProblem]) {
        self.kind = kind
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "; ") }
}

/// Collects field problems while a value is checked, so all of them are reported at once.
public struct FieldChecker: Sendable {
    public private(set) var problems: [FieldProblem] = []
    private let prefix: String

    public init(prefix: String = "") { self.prefix = prefix }

    public mutating func fail(_ field: String, _ problem: String) {
        problems.append(FieldProblem(field: path(field), problem: problem))
    }

    /// Checks an identifier: present, not blank, at most `maxLength` characters, printable.
    public mutating func identifier(_ value: String?, _ field: String, required: Bool = true, maxLength: Int = 128) {
        let before = problems.count
        text(value, field, required: required, maxLength: maxLength)
        // Cc is exactly U+0000–U+001F and U+007F–U+009F; comparing values avoids a Unicode
        // property lookup per scalar on the ingest hot path.
        if problems.count == before, let value,
           value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            fail(field, "must not contain control characters")
        }
    }

    /// Checks free text: present, not blank, at most `maxLength` characters.
    public mutating func text(_ value: String?, _ field: String, required: Bool = true, maxLength: Int) {
        guard let value else {
            if required { fail(field, "is required") }
            return
        }
        if !value.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) {
            fail(field, "must not be blank")
        } else if value.utf8.count > maxLength, value.unicodeScalars.count > maxLength {
            // Counted in code points, as JSON Schema's maxLength counts them (a letter with
            // combining marks is several); a code point is at least one byte.
            fail(field, "must be at most \(maxLength) characters (got \(value.unicodeScalars.count))")
        }
    }

    public mutating func merge(_ other: [FieldProblem]) { problems.append(contentsOf: other) }

    public func path(_ field: String) -> String {
        if prefix.isEmpty { return field }
        if field.isEmpty { return prefix }
        return field.hasPrefix("[") ? prefix + field : prefix + "." + field
    }

    public func throwIfAny() throws(ValidationError) {
        if !problems.isEmpty { throw ValidationError(kind: .invalid, problems: problems) }
    }
}

