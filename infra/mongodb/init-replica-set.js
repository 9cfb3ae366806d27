// Runs once on the first start of the MongoDB container: a single-node replica set, which the
// read model needs for multi-document transactions (a batch of changes with its checkpoint).
try {
  rs.status();
} catch (e) {
  rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'mongodb:27017' }] });
}
