import { createContext } from 'react';

/**
 * Whether the maps' base also draws the grids (close in), asked by view from /api/map/grids: the
 * admin app says so for a user who may see grids; the public pages never ask. (A module of its
 * own: the admin's providers import it on every page, the maps only when one opens.)
 */
export const BaseMapGrids = createContext(false);
