import Foundation
import VOCSchema
import VOCStore

/// Rows of one batch write as a single JSON array parameter, which a statement reads
/// with `jsonb_to_recordset`: one round trip for any number of rows, NULLs kept as NULLs,
/// and the column types declared once in the statement.
enum RowSet {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }()

    /// The rows as JSON text; keys are the snake_case names of the properties.
    static func json<Row: Encodable>(_ rows: [Row]) throws -> String {
        String(decoding: try encoder.encode(rows), as: UTF8.self)
    }
}
