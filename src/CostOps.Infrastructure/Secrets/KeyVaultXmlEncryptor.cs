using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace CostOps.Infrastructure.Secrets;

/// <summary>
/// Wraps each key of the Data Protection ring before it is stored: AES-256-GCM under <see cref="KeyRingWrappingKey"/>
/// (a Key Vault secret), so the table that holds the ring beside the ciphertexts it decrypts is not enough to read them.
/// The wrapped element records the secret version used (<c>kek</c>), bound into the tag as associated data.
/// (Key Vault's own key wrapping needs the Keys SDK, which is not served here; a secret holds the key instead.)
/// </summary>
public sealed class KeyVaultXmlEncryptor(KeyRingWrappingKey wrapping) : IXmlEncryptor
{
    internal static readonly XName WrappedElement = XName.Get("wrappedKey", "urn:costops:keyring-wrapping:v1");
    internal const string KekAttribute = "kek";
    internal const string ValueElement = "value";
    internal const int NonceBytes = 12;
    internal const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var (kekId, key) = wrapping.Current();
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
            var nonce = sealedBytes.AsSpan(0, NonceBytes);
            RandomNumberGenerator.Fill(nonce);
            using (var aes = new AesGcm(key, TagBytes))
            {
                aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), AssociatedData(kekId));
            }
            var wrapped = new XElement(WrappedElement,
                new XAttribute(KekAttribute, kekId),
                new XComment(" The ring key, AES-256-GCM under the Key Vault secret version named in 'kek' (docs/security.md). "),
                new XElement(WrappedElement.Namespace + ValueElement, Convert.ToBase64String(sealedBytes)));
            return new EncryptedXmlInfo(wrapped, typeof(KeyVaultXmlDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>The version is authenticated: a wrapped key moved under another version's name fails, it is not misread.</summary>
    internal static byte[] AssociatedData(string kekId) => Encoding.UTF8.GetBytes("costops-keyring-wrapping-v1|" + kekId);
}
