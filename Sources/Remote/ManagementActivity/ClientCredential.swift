import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// How the app proves who it is to the Microsoft identity platform: a client secret, or (preferred) a certificate
/// whose private key signs a client assertion.
public enum ClientCredential: Sendable {
    case secret(Secret)
    case certificate(ClientCertificate)

    /// The credential from the command's sources: a certificate when both PEM files are given, else the secret from
    /// its file or environment variable.
    public static func resolve(
        certificateFile: String?, privateKeyFile: String?, secret: SecretSource,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ClientCredential {
        switch (certificateFile, privateKeyFile) {
        case (let certificate?, let key?):
            return .certificate(try ClientCertificate(certificateFile: certificate, privateKeyFile: key))
        case (nil, nil):
            guard let value = try secret.resolve(environment: environment) else {
                throw ActivityFeedError.noCredential(variable: secret.environmentVariable)
            }
            return .secret(value)
        default:
            throw ActivityFeedError.invalidCertificate(
                path: certificateFile ?? privateKeyFile ?? "", reason: "give both --certificate and --private-key")
        }
    }
}

/// The app's certificate (registered on the app in Entra ID) and its RSA private key, read from PEM files.
public struct ClientCertificate: Sendable {
    /// SHA-1 of the certificate's DER encoding: the `x5t` the identity platform looks the certificate up by.
    public let thumbprint: Data
    let privateKey: _RSA.Signing.PrivateKey

    public init(certificateFile: String, privateKeyFile: String) throws {
        let certificatePEM = try Self.text(certificateFile)
        let keyPEM = try Self.text(privateKeyFile)
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
        } catch {
            throw ActivityFeedError.invalidCertificate(path: certificateFile, reason: "not a PEM certificate (\(error))")
        }
        do {
            privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: keyPEM)
        } catch {
            // Never echo the key file's content.
            throw ActivityFeedError.invalidCertificate(path: privateKeyFile, reason: "not a PEM RSA private key")
        }
        guard certificate.publicKey == Certificate.PublicKey(privateKey.publicKey) else {
            throw ActivityFeedError.invalidCertificate(
                path: privateKeyFile, reason: "the private key does not belong to \(certificateFile)")
        }
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        thumbprint = Data(Insecure.SHA1.hash(data: serializer.serializedBytes))
    }

    private static func text(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw ActivityFeedError.invalidCertificate(path: path, reason: "cannot read the file") }
        return text
    }
}
