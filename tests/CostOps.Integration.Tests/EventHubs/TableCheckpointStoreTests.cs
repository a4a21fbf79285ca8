using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using CostOps.Infrastructure.EventHubs;
using CostOps.Integration.Tests.Fixtures;

namespace CostOps.Integration.Tests.EventHubs;

public sealed class TableCheckpointStoreTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private const string Namespace = "costops-test.servicebus.windows.net";
    private const string Hub = "usage";

    private TableCheckpointStore Store => new(fixture.Tables);

    private static EventProcessorPartitionOwnership Want(string group, string partition, string owner, string? version = null) => new()
    {
        FullyQualifiedNamespace = Namespace,
        EventHubName = Hub,
        ConsumerGroup = group,
        PartitionId = partition,
        OwnerIdentifier = owner,
        Version = version,
    };

    [Fact]
    public async Task Two_instances_claiming_the_same_free_partition_get_it_once()
    {
        var group = TestEnvironment.UniqueName("g");
        var claims = await Task.WhenAll(
            Store.ClaimOwnershipAsync([Want(group, "0", "instance-a")], CancellationToken.None),
            Store.ClaimOwnershipAsync([Want(group, "0", "instance-b")], CancellationToken.None));

        Assert.Equal(1, claims.Sum(c => c.Count));
        var listed = await Store.ListOwnershipAsync(Namespace, Hub, group, CancellationToken.None);
        var owner = Assert.Single(listed);
        Assert.Equal(claims.Single(c => c.Count == 1)[0].OwnerIdentifier, owner.OwnerIdentifier);
    }

    [Fact]
    public async Task A_claim_with_a_stale_version_fails_and_a_current_one_takes_over()
    {
        var group = TestEnvironment.UniqueName("g");
        var first = Assert.Single(await Store.ClaimOwnershipAsync([Want(group, "1", "instance-a")], CancellationToken.None));
        var renewed = Assert.Single(await Store.ClaimOwnershipAsync([Want(group, "1", "instance-a", first.Version)], CancellationToken.None));

        // instance-b saw the first version; instance-a renewed since, so b's steal is refused.
        Assert.Empty(await Store.ClaimOwnershipAsync([Want(group, "1", "instance-b", first.Version)], CancellationToken.None));
        var stolen = Assert.Single(await Store.ClaimOwnershipAsync([Want(group, "1", "instance-b", renewed.Version)], CancellationToken.None));
        Assert.Equal("instance-b", stolen.OwnerIdentifier);
        Assert.NotEqual(renewed.Version, stolen.Version);
    }

    [Fact]
    public async Task A_checkpoint_resumes_after_the_last_durable_event()
    {
        var group = TestEnvironment.UniqueName("g");
        Assert.Null(await Store.GetCheckpointAsync(Namespace, Hub, group, "2", CancellationToken.None));

        await Store.UpdateCheckpointAsync(Namespace, Hub, group, "2", 41, CancellationToken.None);
        await Store.UpdateCheckpointAsync(Namespace, Hub, group, "2", 99, CancellationToken.None);

        var checkpoint = await Store.GetCheckpointAsync(Namespace, Hub, group, "2", CancellationToken.None);
        Assert.NotNull(checkpoint);
        Assert.Equal(EventPosition.FromSequenceNumber(99, isInclusive: false), checkpoint.StartingPosition);
    }
}
