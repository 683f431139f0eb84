using Npgsql;

namespace RestoreDrills.Verification;

/// <summary>A query of the comparison failed on one side: says which, so an unreadable restore is never blamed on the source.</summary>
public sealed class SideReadException(string side, PostgresException inner) : Exception($"{inner.SqlState} {inner.MessageText}", inner)
{
    public string Side { get; } = side;
    public string SqlState { get; } = inner.SqlState;

    public static async Task<T> OnAsync<T>(string side, Task<T> query)
    {
        try
        {
            return await query;
        }
        catch (PostgresException e)
        {
            throw new SideReadException(side, e);
        }
    }
}
