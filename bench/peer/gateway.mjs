// The Apollo peer's gateway (bench/apollo.py): @apollo/gateway composing the peer's subgraphs
// (bench/peer/subgraphs.py) from their `_service` SDL, on one Node process.
//
// Usage: node gateway.mjs <port> <name>=<graphql url> ...
// Prints "ready <url>" once composed and listening.
import { ApolloGateway, IntrospectAndCompose } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const [port, ...named] = process.argv.slice(2);
const subgraphs = named.map((pair) => {
  const at = pair.indexOf("=");
  return { name: pair.slice(0, at), url: pair.slice(at + 1) };
});
const gateway = new ApolloGateway({ supergraphSdl: new IntrospectAndCompose({ subgraphs }) });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(port), host: "127.0.0.1" } });
console.log(`ready ${url}`);
