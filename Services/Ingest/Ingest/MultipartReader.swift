import Foundation
import Hummingbird
import MultipartKit
import VOCBlob

/// Streams a `multipart/form-data` body: the `metadata` part into memory, the `audio`
/// part into a spool file, so a recording of any size never sits in memory whole.
final class MultipartReader {
    struct Parts {
        var metadata: [UInt8]?
        var audio: SpoolFile.Finished?
    }

    enum Failure: Error {
        case malformed(String)
        case tooLarge(field: String, limit: Int64)
        case io(String)
    }

    static let maxMetadataBytes = 256 * 1024

    private let spoolDirectory: String
    private let audioLimit: Int64
    private var partName: String?
    private var metadata: [UInt8] = []
    private var metadataComplete = false
    private var spool: SpoolFile?
    private var audio: SpoolFile.Finished?
    private var failure: Failure?

    init(spoolDirectory: String, audioLimit: Int64) {
        self.spoolDirectory = spoolDirectory
        self.audioLimit = audioLimit
    }

    /// The boundary of a `multipart/form-data` content type.
    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty || value.count > 70 ? nil : value
        }
        return nil
    }

    /// Reads the whole body. On failure the spool file is already deleted.
    func read(_ body: RequestBody, boundary: String) async throws -> Result<Parts, Failure> {
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { [unowned self] name, value in
            guard name.lowercased() == "content-disposition" else { return }
            partName = Self.parameter("name", in: value)
        }
        parser.onBody = { [unowned self] buffer in
            guard failure == nil else { return }
            switch partName {
            case "metadata":
                if metadata.count + buffer.readableBytes > Self.maxMetadataBytes {
                    failure = .tooLarge(field: "metadata", limit: Int64(Self.maxMetadataBytes))
                } else {
                    metadata.append(contentsOf: buffer.readableBytesView)
                }
            case "audio":
                do {
                    if spool == nil { spool = try SpoolFile(directory: spoolDirectory, limit: audioLimit) }
                    try buffer.withUnsafeReadableBytes { try spool!.write($0) }
                } catch let error as BlobError where error.code == .tooLarge {
                    failure = .tooLarge(field: "audio", limit: audioLimit)
                } catch {
                    failure = .io("\(error)")
                }
            default:
                break  // parts we do not know are skipped
            }
        }
        parser.onPartComplete = { [unowned self] in
            defer { partName = nil }
            guard failure == nil else { return }
            if partName == "metadata" { metadataComplete = true }
            if partName == "audio" {
                do {
                    if spool == nil { spool = try SpoolFile(directory: spoolDirectory, limit: audioLimit) }
                    audio = try spool!.finish()
                } catch {
                    failure = .io("\(error)")
                }
            }
        }
        var headerGuard = MultipartHeaderGuard(boundary: boundary)
        do {
            for try await buffer in body {
                guard headerGuard.admits(buffer.readableBytesView) else {
                    failure = failure ?? .malformed("a part header's name holds a byte outside ASCII")
                    break
                }
                do {
                    try parser.execute(buffer)
                } catch {
                    failure = failure ?? .malformed("the multipart body is malformed (bad part headers or boundary)")
                }
                if failure != nil { break }
            }
        } catch {
            spool?.discard()
            throw error
        }
        if let failure {
            spool?.discard()
            return .failure(failure)
        }
        if spool != nil && audio == nil {
            spool?.discard()
            return .failure(.malformed("the audio part ended before its closing boundary (upload cut short?)"))
        }
        return .success(Parts(metadata: metadataComplete ? metadata : nil, audio: audio))
    }

    /// `name` from `form-data; name="audio"; filename="call.wav"`.
    static func parameter(_ wanted: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == wanted else { continue }
            return pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
