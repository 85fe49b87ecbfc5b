import Foundation
import PostgresNIO

/// A SQL statement whose interpolations are bind parameters, never spliced text:
/// `"SELECT … WHERE id = \(id)"` sends `$1` and `id` apart. Services write SQL with it and
/// never see the PostgreSQL client underneath.
public struct SQL: Sendable, ExpressibleByStringInterpolation {
    let query: PostgresQuery

    public init(stringLiteral value: String) {
        query = PostgresQuery(stringLiteral: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        query = PostgresQuery(stringInterpolation: stringInterpolation.inner)
    }

    /// Text sent as it is, for statements that cannot take parameters (migrations).
    public static func unsafe(_ text: String) -> SQL {
        SQL(query: PostgresQuery(unsafeSQL: text))
    }

    private init(query: PostgresQuery) {
        self.query = query
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var inner: PostgresQuery.StringInterpolation

        public init(literalCapacity: Int, interpolationCount: Int) {
            inner = PostgresQuery.StringInterpolation(literalCapacity: literalCapacity, interpolationCount: interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            inner.appendLiteral(literal)
        }

        public mutating func appendInterpolation<Value: SQLValue>(_ value: Value) {
            inner.appendInterpolation(value)
        }

        public mutating func appendInterpolation<Value: SQLValue>(_ value: Value?) {
            inner.appendInterpolation(value)
        }

        /// Text spliced in as it is: a column list or keyword the caller holds as a
        /// constant, never a value (values are binds).
        public mutating func appendInterpolation(unsafe text: String) {
            inner.appendInterpolation(unescaped: text)
        }

        /// `bytea`.
        public mutating func appendInterpolation(_ value: Data) {
            inner.appendInterpolation(ByteBuffer(bytes: value))
        }

        public mutating func appendInterpolation(_ value: Data?) {
            inner.appendInterpolation(value.map { ByteBuffer(bytes: $0) })
        }
    }
}

/// A Swift value that binds to a statement parameter.
public protocol SQLValue: PostgresNonThrowingEncodable, PostgresDynamicTypeEncodable, Sendable {}

extension String: SQLValue {}
extension Int: SQLValue {}
extension Bool: SQLValue {}
extension Double: SQLValue {}
extension Date: SQLValue {}
extension UUID: SQLValue {}
extension Array: SQLValue where Element: SQLValue & PostgresArrayEncodable {}

/// A Swift type a result column decodes into.
public protocol SQLColumn: PostgresDecodable {}

extension String: SQLColumn {}
extension Int: SQLColumn {}
extension Bool: SQLColumn {}
extension Double: SQLColumn {}
extension Date: SQLColumn {}
extension UUID: SQLColumn {}
extension Data: SQLColumn {}
extension Array: SQLColumn where Element: SQLColumn & PostgresArrayDecodable, Element == Element._DecodableType {}
extension Optional: SQLColumn where Wrapped: SQLColumn, Wrapped._DecodableType == Wrapped {}
