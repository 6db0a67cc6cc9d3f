// pprof's legacy text parsers (contention text, goroutine count text) make each sampled return
// address a location: taken back by one, to land on the call instruction, one location per
// distinct address.

/** AddressLocations interns the sampled addresses of a legacy text profile as locations 0..n-1. */
export class AddressLocations {
  /** Each location's address, by location index. */
  readonly addresses: bigint[] = [];
  private readonly index = new Map<bigint, number>();

  /** get returns the location at an address (already taken back by one), if there is one. */
  get(address: bigint): number | undefined {
    return this.index.get(address);
  }

  /** intern returns the location of a sampled return address (`0x…`), adding it when it is new. */
  intern(hex: string): number {
    const address = BigInt.asUintN(64, BigInt(hex) - 1n);
    let loc = this.index.get(address);
    if (loc === undefined) {
      loc = this.addresses.length;
      this.index.set(address, loc);
      this.addresses.push(address);
    }
    return loc;
  }
}
