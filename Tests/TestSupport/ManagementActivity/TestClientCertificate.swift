import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// A self-signed certificate and RSA key made at test time (nothing committed), written as PEM files the way an
/// administrator would hand them to `collect --certificate --private-key`.
public struct TestClientCertificate: Sendable {
    public let certificateFile: String
    public let privateKeyFile: String
    /// base64url SHA-1 of the certificate DER: the `x5t` Entra ID matches an assertion's certificate by.
    public let x5t: String
    public let publicKey: _RSA.Signing.PublicKey

    /// Generates a 2048-bit key and a certificate for it in `directory`.
    public init(directory: URL, commonName: String = "bypass-auditor test app") throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let name = try DistinguishedName { CommonName(commonName) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey), notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(86_400), issuer: name, subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions(),
            issuerPrivateKey: Certificate.PrivateKey(key))
        certificateFile = directory.appendingPathComponent("app-cert.pem").path
        privateKeyFile = directory.appendingPathComponent("app-key.pem").path
        try Data(try certificate.serializeAsPEM().pemString.utf8).write(to: URL(fileURLWithPath: certificateFile))
        try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: privateKeyFile))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        x5t = Self.base64URL(Data(Insecure.SHA1.hash(data: serializer.serializedBytes)))
        publicKey = key.publicKey
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64URL(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
