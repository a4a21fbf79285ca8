using System.Xml.Linq;
using Azure;
using Azure.Data.Tables;
using CostOps.Infrastructure.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CostOps.Infrastructure.Secrets;

/// <summary>
/// The Data Protection key ring in an Azure table, so every instance of the app reads one ring on any plan (Flex
/// Consumption has no shared <c>%HOME%</c> folder) and it outlives instances and restarts. One row per element Data
/// Protection stores (a key, or a revocation), in one partition: a ring holds a handful of keys and is read whole.
/// With a wrapping key configured, the XML stored is the wrapped form (<see cref="KeyVaultXmlEncryptor"/>).
/// </summary>
public sealed class TableXmlRepository(TableStorage tables) : IXmlRepository
{
    private const string Partition = "ring";
    private const string XmlProperty = "Xml";

    private readonly TableClient _table = tables.Table(TableNames.DataProtectionKeys);
    private volatile bool _tableExists;

    // Data Protection calls the repository synchronously (IXmlRepository has no async members), at ring load (start,
    // then about daily) and when it makes a key (about every 90 days): the Tables SDK's synchronous calls are meant for this.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        EnsureTable();
        return _table.Query<TableEntity>(e => e.PartitionKey == Partition)
            .Select(e => XElement.Parse(e.GetString(XmlProperty)))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        EnsureTable();
        // Add, never upsert: names are new per key ("key-<guid>"), and overwriting a key would lose what it encrypted.
        _table.AddEntity(new TableEntity(Partition, RowKeyFor(friendlyName))
        {
            [XmlProperty] = element.ToString(SaveOptions.DisableFormatting),
        });
    }

    /// <summary>The friendly name where it is a valid row key (Data Protection's are), a fresh one otherwise.</summary>
    private static string RowKeyFor(string friendlyName) =>
        friendlyName.Length is > 0 and <= 200 && friendlyName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? friendlyName
            : Guid.NewGuid().ToString("D");

    /// <summary>Hosts that never ran the start-up table creation (the CLI) still find the table.</summary>
    private void EnsureTable()
    {
        if (_tableExists) return;
        try
        {
            _table.CreateIfNotExists();
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created by another instance between the check and the create.
        }
        _tableExists = true;
    }
}
