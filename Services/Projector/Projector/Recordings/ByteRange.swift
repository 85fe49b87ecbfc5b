import Foundation

/// The part of a recording an HTTP `Range` header asks for (RFC 9110 §14), one range only.
public enum ByteRange: Sendable, Equatable {
    /// No range asked (or a unit other than bytes, or several ranges): the whole body, `200`.
    case whole
    /// Bytes `lower...upper` of the body: `206` with `Content-Range`.
    case part(lower: Int64, upper: Int64)
    /// A byte range that is malformed or lies past the end: `416` with `Content-Range: bytes */size`.
    case unsatisfiable

    /// - Parameters:
    ///   - header: the `Range` field, if any.
    ///   - size: the body's length in bytes.
    public init(header: String?, size: Int64) {
        guard let header, header.hasPrefix("bytes=") else { self = .whole; return }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        // Several ranges would need a multipart body; a server may answer those with the whole.
        if spec.contains(",") { self = .whole; return }
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2, bounds.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            self = .unsatisfiable
            return
        }
        switch (Int64(bounds[0]), Int64(bounds[1])) {
        case let (first?, last?):
            self = first <= last && first < size ? .part(lower: first, upper: min(last, size - 1)) : .unsatisfiable
        case let (first?, nil) where bounds[1].isEmpty:
            self = first < size ? .part(lower: first, upper: size - 1) : .unsatisfiable
        case let (nil, suffix?) where bounds[0].isEmpty:
            // The last `suffix` bytes.
            self = suffix > 0 && size > 0 ? .part(lower: max(0, size - suffix), upper: size - 1) : .unsatisfiable
        default:
            self = .unsatisfiable
        }
    }
}
