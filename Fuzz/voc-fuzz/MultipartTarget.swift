import Foundation
import Hummingbird
@testable import Ingest
import NIOCore

/// `multipart/form-data` uploads as ingest reads them (`MultipartReader`): the boundary
/// from the content type, the body streamed in chunks of a size the input chooses, the
/// `metadata` part in memory and the `audio` part into a spool file.
///
/// Input: one byte choosing the chunk size, the Content-Type value up to the first
/// newline, then the body.
enum MultipartTarget {
    static let spool: String = {
        let path = NSTemporaryDirectory() + "voc-fuzz-spool-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()
    static let audioLimit: Int64 = 4_096

    /// The answer of an `async` read, handed to the fuzzer's thread.
    final class Outcome: @unchecked Sendable {
        var result: Result<MultipartReader.Parts, MultipartReader.Failure>?
        var thrown: (any Error)?
        let done = DispatchSemaphore(value: 0)
    }

    static let target = FuzzTarget(
        name: "multipart",
        summary: "multipart/form-data uploads: boundary, parts, metadata and audio limits (ingest's MultipartReader)"
    ) { raw in
        let input = FuzzInput(raw)
        let rest = input.rest
        let newline = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
        let contentType = String(decoding: rest[..<newline], as: UTF8.self)
        let body = Array(rest[min(newline + 1, rest.endIndex)...])
        _ = MultipartReader.parameter("name", in: contentType)
        guard let boundary = MultipartReader.boundary(contentType) else { return }
        FuzzCheck.expect(!boundary.isEmpty && boundary.count <= 70, "a boundary of \(boundary.count) characters was taken")

        let chunk = input.selector == 0 ? max(body.count, 1) : Int(input.selector)
        var buffers: [ByteBuffer] = []
        var start = 0
        while start < body.count {
            buffers.append(ByteBuffer(bytes: body[start..<min(start + chunk, body.count)]))
            start += chunk
        }
        let outcome = Outcome()
        let stream = buffers
        Task {
            do {
                outcome.result = try await MultipartReader(spoolDirectory: spool, audioLimit: audioLimit)
                    .read(RequestBody(asyncSequence: AsyncBuffers(buffers: stream)), boundary: boundary)
            } catch {
                outcome.thrown = error
            }
            outcome.done.signal()
        }
        outcome.done.wait()
        FuzzCheck.expect(outcome.thrown == nil, "reading a body from memory threw \(String(describing: outcome.thrown))")
        if case .success(let parts) = outcome.result {
            if let metadata = parts.metadata {
                FuzzCheck.expect(metadata.count <= MultipartReader.maxMetadataBytes, "metadata past its limit was kept")
            }
            if let audio = parts.audio {
                FuzzCheck.expect(audio.size <= audioLimit, "audio past its limit was kept: \(audio.size) bytes")
                let size = Int64(FileManager.default.contents(atPath: audio.path)?.count ?? -1)
                FuzzCheck.expect(size == audio.size, "the spool file holds \(size) bytes, the part \(audio.size)")
                try? FileManager.default.removeItem(atPath: audio.path)
            }
        }
        // Nothing stays behind: a failed read deletes its spool file, a good one is deleted above.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []
        FuzzCheck.expect(left.isEmpty, "spool files left behind: \(left)")
    }
}

/// The buffers of a body, as the server would hand them over.
struct AsyncBuffers: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffers: [ByteBuffer]

    struct AsyncIterator: AsyncIteratorProtocol {
        var index = 0
        let buffers: [ByteBuffer]
        mutating func next() async -> ByteBuffer? {
            guard index < buffers.count else { return nil }
            defer { index += 1 }
            return buffers[index]
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffers: buffers) }
}
