/// Keeps MultipartKit's parser from trapping.
///
/// MultipartKit 4.7.1 looks each byte of a part's header name up in a table of 128 flags,
/// so a byte above 127 there is an index out of range: one upload could stop ingest.
/// This follows the parser's states over the same bytes (boundary, header lines, body)
/// and answers `false` for the bytes that would reach that lookup, so the reader refuses
/// the body as malformed before the parser sees them. Where the parser would throw
/// instead, the guard stops watching: the parser's own error is the answer then.
struct MultipartHeaderGuard {
    private enum State {
        case preamble(Int)
        case preHeaders(expectingCR: Bool)
        case headerName(empty: Bool)
        case headerValue
        case postHeaderValue
        case postHeaders
        case body
        case boundary(Int)
        /// The epilogue, or a syntax error the parser throws on.
        case finished
    }

    private let boundary: [UInt8]
    private var state = State.preamble(0)

    /// - Parameter boundary: the boundary as `MultipartParser(boundary:)` gets it.
    init(boundary: String) {
        self.boundary = Array("\r\n--\(boundary)".utf8)
    }

    /// Whether the parser, fed `bytes` after everything admitted before, stays clear of
    /// the lookup that traps.
    mutating func admits(_ bytes: some Sequence<UInt8>) -> Bool {
        for byte in bytes {
            switch state {
            case .finished:
                return true
            case .preamble(let matched):
                var index = matched
                if index == 0, byte == boundary[2] {
                    index = 3  // the first boundary may come without its CRLF
                } else if byte == boundary[index] {
                    index += 1
                } else if index > 0, byte == boundary[0] {
                    index = 1
                } else {
                    index = 0
                }
                state = index >= boundary.count ? .preHeaders(expectingCR: true) : .preamble(index)
            case .preHeaders(let expectingCR):
                guard byte == (expectingCR ? 13 : 10) else { state = .finished; return true }
                state = expectingCR ? .preHeaders(expectingCR: false) : .headerName(empty: true)
            case .headerName(let empty):
                if byte == 58, !empty {
                    state = .headerValue
                } else if byte == 13, empty {
                    state = .postHeaders
                } else if byte > 127 {
                    return false
                } else {
                    // Bytes the parser refuses make it throw; taking them as part of the
                    // name only makes the guard watch longer.
                    state = .headerName(empty: false)
                }
            case .headerValue:
                if byte == 13 { state = .postHeaderValue }
            case .postHeaderValue:
                guard byte == 10 else { state = .finished; return true }
                state = .headerName(empty: true)
            case .postHeaders:
                guard byte == 10 else { state = .finished; return true }
                state = .body
            case .body:
                if byte == boundary[0] { state = .boundary(1) }
            case .boundary(let matched):
                if matched >= boundary.count {
                    if byte == 13 {
                        state = .preHeaders(expectingCR: false)
                    } else {
                        state = .finished  // `--`: the epilogue; anything else: a syntax error
                    }
                } else if byte == boundary[matched] {
                    state = .boundary(matched + 1)
                } else {
                    state = byte == boundary[0] ? .boundary(1) : .body
                }
            }
        }
        return true
    }
}
