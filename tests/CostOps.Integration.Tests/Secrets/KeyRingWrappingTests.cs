using System.Security.Cryptography;
using System.Xml.Linq;
using CostOps.Infrastructure.Secrets;
using CostOps.Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace CostOps.Integration.Tests.Secrets;

/// <summary>
/// The wrapping of ring keys under a Key Vault secret (<see cref="KeyVaultXmlEncryptor"/>, <see cref="KeyVaultXmlDecryptor"/>)
/// on its own: round trip, tampering, rotation, a bad secret value, a ring read without the setting.
/// </summary>
public sealed class KeyRingWrappingTests
{
    // Shaped like a Data Protection key's descriptor: the secret part is what must never be stored in the clear.
    private static readonly XElement RingKey = XElement.Parse(
        """<descriptor><encryption algorithm="AES_256_CBC" /><validation algorithm="HMACSHA256" /><masterKey><value>c2VjcmV0LW1hc3Rlci1rZXktYnl0ZXMtZm9yLXRoZS10ZXN0</value></masterKey></descriptor>""");

    private static XElement Wrap(StandInKeyVault vault) =>
        new KeyVaultXmlEncryptor(new KeyRingWrappingKey(vault, vault.Name)).Encrypt(new XElement(RingKey)).EncryptedElement;

    // A fresh wrapping key each time, so nothing is served from a cache of the instance that wrapped.
    private static XElement Unwrap(StandInKeyVault vault, XElement wrapped) =>
        new KeyVaultXmlDecryptor(new KeyRingWrappingKey(vault, vault.Name)).Decrypt(new XElement(wrapped));

    [Fact]
    public void A_wrapped_key_holds_no_plain_key_records_its_secret_version_and_unwraps_to_the_same_xml()
    {
        var vault = new StandInKeyVault();
        var version = vault.AddVersion();
        var info = new KeyVaultXmlEncryptor(new KeyRingWrappingKey(vault, vault.Name)).Encrypt(new XElement(RingKey));

        Assert.Equal(typeof(KeyVaultXmlDecryptor), info.DecryptorType);
        var text = info.EncryptedElement.ToString();
        Assert.DoesNotContain("c2VjcmV0LW1hc3Rlci1rZXk", text, StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey", text, StringComparison.Ordinal);
        Assert.Equal($"{StandInKeyVault.Vault}secrets/{vault.Name}/{version}", (string?)info.EncryptedElement.Attribute("kek"));
        Assert.True(XNode.DeepEquals(RingKey, Unwrap(vault, info.EncryptedElement)));
        // Two wraps of one key differ (a fresh nonce each time).
        Assert.NotEqual(text, Wrap(vault).ToString());
    }

    [Fact]
    public void An_altered_wrapped_key_or_a_swapped_version_fails_instead_of_unwrapping()
    {
        var vault = new StandInKeyVault();
        var first = vault.AddVersion();
        var wrapped = Wrap(vault);
        var second = vault.AddVersion();

        var value = wrapped.Elements().Single(e => e.Name.LocalName == "value");
        foreach (var position in new[] { 0, 20, Convert.FromBase64String(value.Value).Length - 1 })  // nonce, ciphertext, tag
        {
            var bytes = Convert.FromBase64String(value.Value);
            bytes[position] ^= 0x01;
            var altered = new XElement(wrapped);
            altered.Elements().Single(e => e.Name.LocalName == "value").Value = Convert.ToBase64String(bytes);
            Assert.ThrowsAny<CryptographicException>(() => Unwrap(vault, altered));
        }

        // Named under another version of the same secret: another key and other associated data, so it fails.
        var swapped = new XElement(wrapped);
        swapped.SetAttributeValue("kek", ((string)wrapped.Attribute("kek")!).Replace(first, second, StringComparison.Ordinal));
        Assert.ThrowsAny<CryptographicException>(() => Unwrap(vault, swapped));
        Assert.ThrowsAny<CryptographicException>(() => Unwrap(vault, new XElement("wrappedKey", new XAttribute("kek", wrapped.Attribute("kek")!.Value))));
        Assert.True(XNode.DeepEquals(RingKey, Unwrap(vault, wrapped)));
    }

    [Fact]
    public void After_rotation_new_keys_wrap_under_the_new_version_and_old_ones_still_unwrap()
    {
        var vault = new StandInKeyVault();
        var v1 = vault.AddVersion();
        var before = Wrap(vault);
        var v2 = vault.AddVersion();
        var after = Wrap(vault);

        Assert.EndsWith("/" + v1, (string)before.Attribute("kek")!, StringComparison.Ordinal);
        Assert.EndsWith("/" + v2, (string)after.Attribute("kek")!, StringComparison.Ordinal);
        var wrapping = new KeyRingWrappingKey(vault, vault.Name);
        var decryptor = new KeyVaultXmlDecryptor(wrapping);
        Assert.True(XNode.DeepEquals(RingKey, decryptor.Decrypt(before)));
        Assert.True(XNode.DeepEquals(RingKey, decryptor.Decrypt(after)));
        // Each version is read by its recorded name once, then kept (versions never change).
        Assert.True(XNode.DeepEquals(RingKey, decryptor.Decrypt(before)));
        Assert.Equal(1, vault.Reads(v1));
        Assert.Equal(1, vault.Reads(v2));
    }

    [Fact]
    public void A_secret_that_is_not_32_bytes_of_base64_is_refused_with_how_to_make_one()
    {
        foreach (var value in new[] { "password", Convert.ToBase64String(new byte[16]), "" })
        {
            var vault = new StandInKeyVault();
            vault.AddVersion(value);
            var error = Assert.Throws<InvalidOperationException>(() => Wrap(vault));
            Assert.Contains("openssl rand -base64 32", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_wrapped_ring_read_without_a_wrapping_secret_configured_says_which_setting_is_missing()
    {
        var activated = Assert.Throws<InvalidOperationException>(() => new KeyVaultXmlDecryptor(new ServiceCollection().BuildServiceProvider()));
        Assert.Contains("Security:KeyRingWrappingSecretUri", activated.Message, StringComparison.Ordinal);
    }
}
