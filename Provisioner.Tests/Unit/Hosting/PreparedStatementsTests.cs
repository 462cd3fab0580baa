using FluentAssertions;
using Npgsql;
using Provisioner.Hosting.Connections;

namespace Provisioner.Tests.Unit.Hosting;

/// <summary>Statements are prepared automatically unless the operator's connection string chose for itself.</summary>
public sealed class PreparedStatementsTests
{
    [Fact]
    public void PrepareUnlessSet_AStringThatDoesNotSayIt_PreparesUpToTheDefault()
    {
        var sut = new NpgsqlConnectionStringBuilder("Host=db;Username=app;Maximum Pool Size=20");

        PreparedStatements.PrepareUnlessSet(sut);

        sut.MaxAutoPrepare.Should().Be(PreparedStatements.MaxAutoPrepare);
        sut.MaxPoolSize.Should().Be(20, "the rest of the string is kept");
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;maxautoprepare=0", 0)]
    [InlineData("Host=db;Max Auto Prepare=100", 100)]
    public void PrepareUnlessSet_AStringThatSaysIt_IsLeftAsItSays(string connectionString, int expected)
    {
        var sut = new NpgsqlConnectionStringBuilder(connectionString);

        PreparedStatements.PrepareUnlessSet(sut);

        sut.MaxAutoPrepare.Should().Be(expected, "behind a pooler without prepared statements the operator turns them off");
    }
}
